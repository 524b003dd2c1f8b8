import { Client } from 'pg';

export const TEST_DATABASE_BASE_URL = 'postgresql://postgres@127.0.0.1:5432';

/** Refuses any database whose name does not end in _test, so tests never touch real data. */
export function assertTestDatabase(databaseUrl: string): void {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  if (!name.endsWith('_test')) {
    throw new Error(`Refusing to run tests against database "${name}": its name must end in _test`);
  }
}

/** The URL of a test database, created if missing. */
export async function ensureTestDatabase(name: string, baseUrl = process.env['TEST_DATABASE_BASE_URL'] ?? TEST_DATABASE_BASE_URL): Promise<string> {
  // Several checkouts on one machine (git worktrees) keep their databases apart with a prefix.
  const database = `${process.env['TEST_DATABASE_PREFIX'] ?? ''}${name}`;
  const url = `${baseUrl}/${database}`;
  assertTestDatabase(url);
  const admin = new Client({ connectionString: `${baseUrl}/postgres` });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE "${database}"`).catch((error: { code?: string }) => {
        // Another test process created it first: 42P04 (duplicate_database), or 23505 when both
        // CREATE DATABASE statements ran at once and the loser hit pg_database's unique index.
        if (error.code !== '42P04' && error.code !== '23505') {
          throw error;
        }
      });
    }
  } finally {
    await admin.end();
  }
  return url;
}

/** A connected client of a test database (refused unless its name ends in _test); end it after the tests. */
export async function connectTestDatabase(databaseUrl: string): Promise<Client> {
  assertTestDatabase(databaseUrl);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  return client;
}
