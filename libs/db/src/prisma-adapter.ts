import { PrismaPg } from '@prisma/adapter-pg';

/** The pg driver adapter the generated clients run on (no native query engine). */
export function createPgAdapter(databaseUrl: string, schema: string, maxConnections = 10): PrismaPg {
  const url = new URL(databaseUrl);
  url.searchParams.delete('schema');
  return new PrismaPg({ connectionString: url.toString(), max: maxConnections }, { schema });
}
