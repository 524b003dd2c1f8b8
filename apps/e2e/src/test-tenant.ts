import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';

/**
 * A new tenant with one user and an API key, written straight into the stack's auth schema (the
 * account routes belong to another issue). Returns the key to send as X-API-Key.
 */
export async function createTenantWithKey(databaseUrl: string): Promise<{ apiKey: string; tenantId: string; userId: string }> {
  const tenantId = randomUUID();
  const userId = randomUUID();
  const apiKey = `sk_${randomBytes(32).toString('hex')}`;
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query('INSERT INTO auth.tenants (id, name) VALUES ($1, $2)', [tenantId, `e2e ${tenantId}`]);
    await db.query('INSERT INTO auth.users (id, tenant_id, email, username) VALUES ($1, $2, $3, $4)', [userId, tenantId, `${userId}@e2e.test`, `u${userId}`]);
    await db.query('INSERT INTO auth.api_keys (id, tenant_id, user_id, name, prefix, key_hash) VALUES ($1, $2, $3, $4, $5, $6)', [
      randomUUID(),
      tenantId,
      userId,
      'e2e key',
      apiKey.slice(0, 8),
      createHash('sha256').update(apiKey, 'utf8').digest('hex'),
    ]);
  } finally {
    await db.end();
  }
  return { apiKey, tenantId, userId };
}
