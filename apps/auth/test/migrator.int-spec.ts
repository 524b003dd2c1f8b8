import { Code } from '@connectrpc/connect';
import type { INestMicroservice } from '@nestjs/common';
import type { AuthService } from '@shannon/contracts';
import { Migrator } from '@shannon/db';
import { ErrorCode } from '@shannon/errors';
import { describeRemoteError, type GrpcClient } from '@shannon/grpc';
import { connectTestDatabase, ensureTestDatabase, failureOf } from '@shannon/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'pg';
import { AUTH_SCHEMA } from '../src/config';
import { DEVELOPMENT_API_KEY, DEVELOPMENT_TENANT_ID, DEVELOPMENT_USER_ID } from '../src/development/development-principal';
import { sha256Hex } from '../src/secrets/secret-hash';
import { MIGRATIONS, startAuth } from './auth-test-service';

describe(Migrator.name, () => {
  let url: string;
  let db: Client;
  let dir: string;
  let schema: string;

  /** A migrations folder of our own whose SQL writes into `schema`. */
  function writeMigration(name: string, sql: string): void {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, 'migration.sql'), sql);
  }

  beforeAll(async () => {
    url = await ensureTestDatabase('shannon_int_test');
    db = await connectTestDatabase(url);
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'shannon-migrations-'));
    schema = `mig_${randomBytes(6).toString('hex')}`;
  });

  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  afterAll(async () => {
    await db?.end();
  });

  it('applies each migration once and nothing on a second run', async () => {
    writeMigration('20260101000000_first', `CREATE TABLE "${schema}"."notes" (id INT PRIMARY KEY, body TEXT NOT NULL);`);
    writeMigration('20260102000000_second', `INSERT INTO "${schema}"."notes" VALUES (1, 'hello');`);
    const sut = new Migrator(url, schema, dir);

    await expect(sut.migrate()).resolves.toEqual({ applied: ['20260101000000_first', '20260102000000_second'], alreadyApplied: 0 });
    await expect(sut.migrate()).resolves.toEqual({ applied: [], alreadyApplied: 2 });

    const notes = await db.query(`SELECT id, body FROM "${schema}"."notes"`);
    expect(notes.rows).toEqual([{ id: 1, body: 'hello' }]);
    const recorded = await db.query(`SELECT migration_name FROM "${schema}"."_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name`);
    expect(recorded.rows.map((row) => row.migration_name)).toEqual(['20260101000000_first', '20260102000000_second']);
  });

  it('refuses a migration that was changed after it was applied', async () => {
    writeMigration('20260101000000_first', `CREATE TABLE "${schema}"."notes" (id INT PRIMARY KEY);`);
    const sut = new Migrator(url, schema, dir);
    await sut.migrate();

    writeMigration('20260101000000_first', `CREATE TABLE "${schema}"."notes" (id BIGINT PRIMARY KEY);`);
    writeMigration('20260102000000_second', `CREATE TABLE "${schema}"."later" (id INT PRIMARY KEY);`);

    await expect(sut.migrate()).rejects.toThrow(`Migration 20260101000000_first of schema ${schema} was changed after it was applied`);
    const later = await db.query('SELECT to_regclass($1) AS found', [`"${schema}"."later"`]);
    expect(later.rows[0].found).toBeNull();
  });

  it('rolls back a failing migration and names it', async () => {
    writeMigration('20260101000000_broken', `CREATE TABLE "${schema}"."half" (id INT); SELECT * FROM "${schema}"."missing";`);
    const sut = new Migrator(url, schema, dir);

    await expect(sut.migrate()).rejects.toThrow(`Migration 20260101000000_broken of schema ${schema} failed`);
    const half = await db.query('SELECT to_regclass($1) AS found', [`"${schema}"."half"`]);
    expect(half.rows[0].found).toBeNull();
  });

  it("brings the auth service's own migrations up to date idempotently", async () => {
    const sut = new Migrator(url, AUTH_SCHEMA, MIGRATIONS);

    await sut.migrate();
    await expect(sut.migrate()).resolves.toEqual({ applied: [], alreadyApplied: readdirSync(MIGRATIONS, { withFileTypes: true }).filter((e) => e.isDirectory()).length });
  });
});

describe('auth service over gRPC', () => {
  describe('in a development environment', () => {
    let app: INestMicroservice;
    let sut: GrpcClient<typeof AuthService>;
    let db: Client;

    beforeAll(async () => {
      const url = await ensureTestDatabase('shannon_int_test');
      await new Migrator(url, AUTH_SCHEMA, MIGRATIONS).migrate();
      ({ app, client: sut } = await startAuth(url, 'test'));
      db = await connectTestDatabase(url);
    });

    afterAll(async () => {
      await app?.close();
      await db?.end();
    });

    it('resolves the development key to the development principal', async () => {
      const { principal } = await sut.validateApiKey({ apiKey: DEVELOPMENT_API_KEY });

      const stored = await db.query<{ id: string }>('SELECT id FROM auth.api_keys WHERE key_hash = $1', [sha256Hex(DEVELOPMENT_API_KEY)]);
      expect(stored.rows).toHaveLength(1);
      expect(principal).toMatchObject({ tenantId: DEVELOPMENT_TENANT_ID, userId: DEVELOPMENT_USER_ID, apiKeyId: stored.rows[0].id });
    });

    it('refuses an unknown key', async () => {
      const error = await failureOf(sut.validateApiKey({ apiKey: `sk_unknown_${randomUUID()}` }));

      expect(error.code).toBe(Code.Unauthenticated);
      expect(describeRemoteError(error)).toMatchObject({ code: ErrorCode.Unauthenticated, message: 'Invalid API key' });
    });

    it('names the development principal', async () => {
      const { principal } = await sut.getDevelopmentPrincipal({});

      expect(principal).toMatchObject({ tenantId: DEVELOPMENT_TENANT_ID, userId: DEVELOPMENT_USER_ID, apiKeyId: '' });
    });
  });

  /** A database of its own: starting in production removes the development key. */
  describe('in production', () => {
    let app: INestMicroservice;
    let sut: GrpcClient<typeof AuthService>;
    let db: Client;
    const keyHash = sha256Hex(DEVELOPMENT_API_KEY);

    beforeAll(async () => {
      const url = await ensureTestDatabase('shannon_auth_prod_test');
      await new Migrator(url, AUTH_SCHEMA, MIGRATIONS).migrate();
      db = await connectTestDatabase(url);
      // A database seeded in development and then promoted still holds the well-known key.
      await db.query(`INSERT INTO auth.tenants (id, name) VALUES ($1, 'Development') ON CONFLICT DO NOTHING`, [DEVELOPMENT_TENANT_ID]);
      await db.query(`INSERT INTO auth.users (id, tenant_id, email, username) VALUES ($1, $2, 'dev@localhost', 'dev') ON CONFLICT DO NOTHING`, [
        DEVELOPMENT_USER_ID,
        DEVELOPMENT_TENANT_ID,
      ]);
      await db.query(
        `INSERT INTO auth.api_keys (id, tenant_id, user_id, name, prefix, key_hash) VALUES ($1, $2, $3, 'Development key', 'sk_test_', $4) ON CONFLICT DO NOTHING`,
        [randomUUID(), DEVELOPMENT_TENANT_ID, DEVELOPMENT_USER_ID, keyHash],
      );
      ({ app, client: sut } = await startAuth(url, 'production'));
    });

    afterAll(async () => {
      await app?.close();
      await db?.end();
    });

    it('has no development principal', async () => {
      const error = await failureOf(sut.getDevelopmentPrincipal({}));

      expect(error.code).toBe(Code.FailedPrecondition);
      expect(describeRemoteError(error).code).toBe(ErrorCode.FailedPrecondition);
    });

    it('removes the development key at start-up and refuses it', async () => {
      const stored = await db.query('SELECT 1 FROM auth.api_keys WHERE key_hash = $1', [keyHash]);
      expect(stored.rowCount).toBe(0);

      const error = await failureOf(sut.validateApiKey({ apiKey: DEVELOPMENT_API_KEY }));
      expect(error.code).toBe(Code.Unauthenticated);
      expect(error.rawMessage).toBe('Invalid API key');
    });
  });
});
