import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';

/**
 * Prisma CLI configuration that works without downloading engines: the Wasm schema engine talks
 * to PostgreSQL through the pg driver adapter. Used by tools/prisma/prisma.sh for `generate` and
 * for authoring migrations with `migrate diff`; services apply migrations themselves (ADR 0003).
 */
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () =>
    new PrismaPg({ connectionString: process.env['PRISMA_CLI_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres' }),
});
