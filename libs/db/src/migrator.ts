import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies a service's Prisma migration folder (`<timestamp>_<name>/migration.sql`) to its own
 * schema and records each one in that schema's `_prisma_migrations` table in Prisma's format, so
 * `prisma migrate status` agrees. Concurrent replicas serialise on an advisory lock; each
 * migration runs in its own transaction; a changed migration that was already applied is refused.
 * Why not `prisma migrate deploy`: ADR 0003.
 */
export class Migrator {
  constructor(
    private readonly databaseUrl: string,
    private readonly schema: string,
    private readonly migrationsDir: string,
  ) {}

  async migrate(): Promise<MigrationResult> {
    const migrations = this.readMigrations();
    const client = new Client({ connectionString: stripSchemaParam(this.databaseUrl) });
    await client.connect();
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [`migrate:${this.schema}`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.ident(this.schema)}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
        "id" VARCHAR(36) PRIMARY KEY NOT NULL,
        "checksum" VARCHAR(64) NOT NULL,
        "finished_at" TIMESTAMPTZ,
        "migration_name" VARCHAR(255) NOT NULL,
        "logs" TEXT,
        "rolled_back_at" TIMESTAMPTZ,
        "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
        "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
      const done = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
        `SELECT migration_name, checksum, finished_at FROM ${this.table} WHERE rolled_back_at IS NULL`,
      );
      const applied = new Map(done.rows.map((row) => [row.migration_name, row]));
      const result: MigrationResult = { applied: [], alreadyApplied: 0 };
      for (const migration of migrations) {
        const previous = applied.get(migration.name);
        if (previous?.finished_at) {
          if (previous.checksum !== migration.checksum) {
            throw new Error(`Migration ${migration.name} of schema ${this.schema} was changed after it was applied`);
          }
          result.alreadyApplied += 1;
          continue;
        }
        if (previous) {
          throw new Error(`Migration ${migration.name} of schema ${this.schema} failed earlier; resolve it by hand`);
        }
        await this.apply(client, migration);
        result.applied.push(migration.name);
      }
      return result;
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrate:${this.schema}`]).catch(() => undefined);
      await client.end();
    }
  }

  private async apply(client: Client, migration: { name: string; sql: string; checksum: string }): Promise<void> {
    await client.query('BEGIN');
    try {
      await client.query(migration.sql);
      await client.query(
        `INSERT INTO ${this.table} (id, checksum, migration_name, finished_at, applied_steps_count) VALUES ($1, $2, $3, now(), 1)`,
        [randomUUID(), migration.checksum, migration.name],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw new Error(`Migration ${migration.name} of schema ${this.schema} failed: ${(error as Error).message}`);
    }
  }

  private readMigrations(): { name: string; sql: string; checksum: string }[] {
    if (!existsSync(this.migrationsDir)) {
      throw new Error(`Migrations folder not found: ${this.migrationsDir}`);
    }
    return readdirSync(this.migrationsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort()
      .map((name) => {
        const sql = readFileSync(join(this.migrationsDir, name, 'migration.sql'), 'utf8');
        return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
      });
  }

  private get table(): string {
    return `${this.ident(this.schema)}."_prisma_migrations"`;
  }

  private ident(name: string): string {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
      throw new Error(`Unsafe schema name: ${name}`);
    }
    return `"${name}"`;
  }
}

function stripSchemaParam(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.delete('schema');
  return url.toString();
}
