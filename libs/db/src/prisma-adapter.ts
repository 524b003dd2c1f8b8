import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';

/**
 * A service's one pool of connections to its database. The Prisma client runs on it through the
 * driver adapter (createPgAdapter), and so do the statements the service sends with pg alone
 * (PgStatements); the client's $disconnect closes it.
 */
export function createPgPool(databaseUrl: string, maxConnections = 10): Pool {
  const url = new URL(databaseUrl);
  url.searchParams.delete('schema');
  return new Pool({ connectionString: url.toString(), max: maxConnections });
}

/** The pg driver adapter the generated clients run on (no native query engine), over `pool`, which it closes on disconnect. */
export function createPgAdapter(pool: Pool, schema: string): PrismaPg {
  return new PrismaPg(pool, { schema, disposeExternalPool: true });
}
