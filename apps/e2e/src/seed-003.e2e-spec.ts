/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are checked by the assertions */
import { waitFor } from '@shannon/testing';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { type ExtraGateway, runGatewayUntilExit, startExtraGateway } from './extra-gateway';
import { type RunningStack, startTestStack } from './running-stack';
import { json } from './task-api';

const DEV_KEY = 'sk_test_123456';
const JWT_SECRET = 'e2e-jwt-secret-0123456789abcdefghijkl';
const PASSWORD = 'correct horse battery staple';
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const hs256 = (body: string, secret: string) => `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;

/**
 * Seed 003 (authentication, headers, idempotency, tracing, rate limits, CORS) exactly as the user
 * wrote it, plus the bad input of the identity issue, against the built services with
 * authentication on (GATEWAY_SKIP_AUTH=0).
 */
describe('seed 003: authentication and the edge (built services, auth on)', () => {
  let stack: RunningStack;
  let db: Client;

  const unique = () => randomBytes(5).toString('hex');
  async function register(): Promise<any> {
    const response = await stack.api('/api/v1/auth/register', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: `user-${unique()}@example.com`, username: `user_${unique()}`, password: PASSWORD, full_name: 'E2E User' }),
    });
    expect(response.status).toBe(201);
    return json(response);
  }
  async function createKey(credential: Record<string, string>, name = 'e2e'): Promise<any> {
    const response = await stack.api('/api/v1/auth/api-keys', { method: 'POST', headers: { ...credential, 'Content-Type': 'application/json' }, body: JSON.stringify({ name }) });
    expect(response.status).toBe(201);
    return json(response);
  }
  const submit = (headers: Record<string, string>, body: unknown = { query: 'What is 2 + 2?' }, base = stack.gatewayUrl) =>
    fetch(`${base}/api/v1/tasks`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const expect401 = async (response: Response, body: string) => {
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="Shannon API"');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.text()).toBe(body);
  };
  const taskCount = async (tenantId: string) => Number((await db.query('SELECT count(*) AS n FROM task.tasks WHERE tenant_id = $1', [tenantId])).rows[0].n);

  beforeAll(async () => {
    stack = await startTestStack({ GATEWAY_SKIP_AUTH: '0', JWT_SECRET });
    db = new Client({ connectionString: stack.env['DATABASE_URL'] });
    await db.connect();
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  describe('authentication, as in the seed', () => {
    it('accepts X-API-Key and Authorization: Bearer alike', async () => {
      const byHeader = await stack.api('/api/v1/tasks', { headers: { 'X-API-Key': DEV_KEY } });
      const byBearer = await stack.api('/api/v1/tasks', { headers: { Authorization: `Bearer ${DEV_KEY}` } });
      expect([byHeader.status, byBearer.status]).toEqual([200, 200]);
      expect((await json(byBearer)).total_count).toBe((await json(byHeader)).total_count);
    });

    it('answers the three 401 bodies exactly, with WWW-Authenticate', async () => {
      await expect401(await stack.api('/api/v1/tasks'), '{"error":"Authentication required"}');
      await expect401(await stack.api('/api/v1/tasks', { headers: { 'X-API-Key': 'sk_test_wrong' } }), '{"error":"Invalid API key"}');
      const account = await register();
      const [header, payload] = account.access_token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const expired = hs256(`${header}.${b64({ ...claims, iat: 1_600_000_000, nbf: 1_600_000_000, exp: 1_600_003_600 })}`, JWT_SECRET);
      await expect401(await stack.api('/api/v1/tasks', { headers: { Authorization: `Bearer ${expired}` } }), '{"error":"Invalid or expired token"}');
    });

    it.each([
      ['an empty X-API-Key', { 'X-API-Key': '' }, '{"error":"Authentication required"}'],
      ['Basic credentials', { Authorization: 'Basic dXNlcjpwYXNz' }, '{"error":"Authentication required"}'],
      ['a garbage key', { 'X-API-Key': 'garbage' }, '{"error":"Invalid API key"}'],
      ['the right prefix but unknown', { 'X-API-Key': `sk_${'0'.repeat(64)}` }, '{"error":"Invalid API key"}'],
      ['SQL in the key', { 'X-API-Key': "sk_' OR '1'='1" }, '{"error":"Invalid API key"}'],
      ['JSON in the key', { 'X-API-Key': 'sk_{"$ne":null}' }, '{"error":"Invalid API key"}'],
      ['an 8 KB key', { 'X-API-Key': `sk_${'a'.repeat(8_000)}` }, '{"error":"Invalid API key"}'],
      ['garbage after Bearer', { Authorization: 'Bearer garbage' }, '{"error":"Invalid or expired token"}'],
      ['alg none', { Authorization: `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: randomUUID(), exp: 4_000_000_000 })}.` }, '{"error":"Invalid or expired token"}'],
      ['a token signed with another secret', { Authorization: `Bearer ${hs256(`${b64({ alg: 'HS256' })}.${b64({ sub: randomUUID(), exp: 4_000_000_000 })}`, 'not-the-secret')}` }, '{"error":"Invalid or expired token"}'],
    ])('refuses %s', async (_label, headers, body) => {
      await expect401(await stack.api('/api/v1/tasks', { headers }), body);
    });

    it('refuses headers too large to read with 431, and the gateway keeps serving', async () => {
      const response = await stack.api('/api/v1/tasks', { headers: { 'X-API-Key': DEV_KEY, 'X-Padding': 'p'.repeat(20_000) } });
      expect(response.status).toBe(431);
      expect((await json(response)).error).toBe('Request Header Fields Too Large');
      expect((await stack.api('/api/v1/tasks', { headers: { 'X-API-Key': DEV_KEY } })).status).toBe(200);
    });

    it('refuses disabled and expired keys like unknown ones', async () => {
      const account = await register();
      const bearer = { Authorization: `Bearer ${account.access_token}` };
      const disabled = await createKey(bearer, 'to disable');
      const expired = await createKey(bearer, 'to expire');
      await db.query('UPDATE auth.api_keys SET enabled = false WHERE id = $1', [disabled.id]);
      await db.query(`UPDATE auth.api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.id]);
      await expect401(await stack.api('/api/v1/tasks', { headers: { 'X-API-Key': disabled.api_key } }), '{"error":"Invalid API key"}');
      await expect401(await stack.api('/api/v1/tasks', { headers: { 'X-API-Key': expired.api_key } }), '{"error":"Invalid API key"}');
    });
  });

  describe('accounts, tokens and keys', () => {
    it('registers, logs in, uses the access token, refreshes, and detects a reused refresh token', async () => {
      const account = await register();
      expect(account).toMatchObject({ token_type: 'Bearer', expires_in: 3600, is_new_user: true, tier: 'free', api_key: expect.stringMatching(/^sk_[0-9a-f]{64}$/) });
      // The stack runs with RATE_LIMIT_RPM=1000000 (running-stack.ts).
      const quotas = { monthly_tokens: 0, rate_limit_hour: 60_000_000, rate_limit_minute: 1_000_000 };
      expect(account.quotas).toEqual(quotas);

      const login = await stack.api('/api/v1/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: account.user.email, password: PASSWORD }) });
      expect(login.status).toBe(200);
      const session = await json(login);
      expect(session).toMatchObject({ user_id: account.user_id, tenant_id: account.tenant_id, api_key: '', is_new_user: false, quotas });

      const me = await stack.api('/api/v1/auth/me', { headers: { Authorization: `Bearer ${session.access_token}` } });
      const profile = await json(me);
      expect(profile).toMatchObject({ user_id: account.user_id, email: account.user.email, role: 'owner', tier: 'free' });
      expect(profile.quotas).toEqual({ ...quotas, monthly_usage: 0 });
      expect(profile.rate_limits).toEqual({
        hour: { limit: 60_000_000, remaining: expect.any(Number) },
        minute: { limit: 1_000_000, remaining: expect.any(Number) },
      });
      expect(me.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
      const viaKey = await json(await stack.api('/api/v1/auth/me', { headers: { 'X-API-Key': account.api_key } }));
      expect(viaKey.user_id).toBe(account.user_id);

      const refresh = (token: string) => stack.api('/api/v1/auth/refresh', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refresh_token: token }) });
      const rotated = await refresh(session.refresh_token);
      expect(rotated.status).toBe(200);
      const next = await json(rotated);
      expect(next.refresh_token).not.toBe(session.refresh_token);
      expect((await stack.api('/api/v1/tasks', { headers: { Authorization: `Bearer ${next.access_token}` } })).status).toBe(200);

      const reuse = await refresh(session.refresh_token);
      expect(reuse.status).toBe(401);
      expect(await json(reuse)).toEqual({ error: 'Invalid refresh token' });
      // The reuse revoked the family: the newest refresh token is dead too.
      expect((await refresh(next.refresh_token)).status).toBe(401);
    });

    it('fails a wrong password and an unknown email identically', async () => {
      const account = await register();
      const attempt = (email: string) => stack.api('/api/v1/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password: 'wrong password' }) });
      const wrong = await attempt(account.user.email);
      const unknown = await attempt(`nobody-${unique()}@example.com`);
      expect([wrong.status, unknown.status]).toEqual([401, 401]);
      expect(await wrong.text()).toBe(await unknown.text());
    });

    it('creates, lists and revokes API keys; a revoked key stops working at once', async () => {
      const account = await register();
      const bearer = { Authorization: `Bearer ${account.access_token}` };
      const created = await createKey(bearer, 'ci');
      expect(created).toMatchObject({ name: 'ci', key_prefix: created.api_key.slice(0, 8), warning: 'Store this API key securely. It will not be shown again.' });
      expect((await stack.api('/api/v1/tasks', { headers: { 'X-API-Key': created.api_key } })).status).toBe(200);

      const list = await json(await stack.api('/api/v1/auth/api-keys', { headers: bearer }));
      expect(list.total).toBe(2);
      expect(list.keys.map((k: any) => k.name)).toEqual(['ci', 'Default API Key']);
      expect(JSON.stringify(list)).not.toContain(created.api_key);

      const revoked = await stack.api(`/api/v1/auth/api-keys/${created.id}`, { method: 'DELETE', headers: bearer });
      expect(await json(revoked)).toEqual({ message: 'API key revoked successfully', success: true });
      await expect401(await stack.api('/api/v1/tasks', { headers: { 'X-API-Key': created.api_key } }), '{"error":"Invalid API key"}');
      const again = await stack.api(`/api/v1/auth/api-keys/${created.id}`, { method: 'DELETE', headers: bearer });
      expect(again.status).toBe(404);
      expect((await stack.api('/api/v1/auth/api-keys/not-a-uuid', { method: 'DELETE', headers: bearer })).status).toBe(400);
    });

    it.each([
      ['register without email', 400, '/api/v1/auth/register', { username: 'abc', password: PASSWORD }, 'email is required'],
      ['register with a short password', 400, '/api/v1/auth/register', { email: 'a@example.com', username: 'abcd', password: 'short' }, 'password must be at least 8 characters'],
      ['register with SQL as username', 400, '/api/v1/auth/register', { email: 'b@example.com', username: "x'; DROP TABLE auth.users; --", password: PASSWORD }, /^username must be/],
      ['register with SQL in the email', 400, '/api/v1/auth/register', { email: "x'; DROP TABLE auth.users; --@example.com", username: 'sqlemail', password: PASSWORD }, 'email must be a valid email address'],
      ['register with JSON as the email', 400, '/api/v1/auth/register', { email: { $gt: '' }, username: 'jsonmail', password: PASSWORD }, 'email must be a string'],
      ['login with JSON for the password', 400, '/api/v1/auth/login', { email: 'a@example.com', password: { $ne: null } }, 'password must be a string'],
      ['login with SQL', 401, '/api/v1/auth/login', { email: "' OR 1=1 --", password: "' OR 1=1 --" }, 'Invalid email or password'],
      ['refresh without a token', 400, '/api/v1/auth/refresh', {}, 'Missing refresh_token'],
      ['refresh with SQL', 401, '/api/v1/auth/refresh', { refresh_token: "' OR '1'='1" }, 'Invalid refresh token'],
    ])('%s answers %i', async (_label, status, path, body, message) => {
      const response = await stack.api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status).toBe(status);
      expect((await json(response)).error).toEqual(typeof message === 'string' ? message : expect.stringMatching(message));
    });

    it('stores injection strings in key names as plain text, and the tables survive', async () => {
      const account = await register();
      const created = await createKey({ Authorization: `Bearer ${account.access_token}` }, `x'); DELETE FROM auth.api_keys; --`);
      expect(created.name).toBe(`x'); DELETE FROM auth.api_keys; --`);
      expect(Number((await db.query('SELECT count(*) AS n FROM auth.api_keys')).rows[0].n)).toBeGreaterThan(1);
    });
  });

  describe('Idempotency-Key, as in the seed', () => {
    it('creates the task once and replays the stored response for the duplicate', async () => {
      const account = await register();
      const headers = { 'X-API-Key': account.api_key, 'Idempotency-Key': '550e8400-e29b-41d4-a716-446655440000' };
      const first = await submit(headers, { query: 'Process payment #12345' });
      const duplicate = await submit(headers, { query: 'Process payment #12345' });

      expect([first.status, duplicate.status]).toEqual([200, 200]);
      const [a, b] = [await json(first), await json(duplicate)];
      expect(b).toEqual(a);
      expect(first.headers.get('x-idempotency-cached')).toBeNull();
      expect(duplicate.headers.get('x-idempotency-cached')).toBe('true');
      expect(duplicate.headers.get('x-workflow-id')).toBe(a.task_id);
      expect(duplicate.headers.get('x-session-id')).toBe(a.session_id);
      expect(await taskCount(account.tenant_id)).toBe(1);
    });

    it('creates exactly one task for 20 concurrent identical submits, all answered with its id', async () => {
      const account = await register();
      const headers = { 'X-API-Key': account.api_key, 'Idempotency-Key': randomUUID() };
      const responses = await Promise.all(Array.from({ length: 20 }, () => submit(headers, { query: 'Analyze data' })));
      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
      const bodies = await Promise.all(responses.map(json));
      expect(new Set(bodies.map((b) => b.task_id)).size).toBe(1);
      expect(new Set(bodies.map((b) => b.session_id)).size).toBe(1);
      expect(responses.filter((r) => r.headers.get('x-idempotency-cached') === 'true')).toHaveLength(19);
      expect(await taskCount(account.tenant_id)).toBe(1);
      const sessions = await db.query('SELECT count(*) AS n FROM session.sessions WHERE tenant_id = $1', [account.tenant_id]);
      expect(Number(sessions.rows[0].n)).toBe(1);
    });

    it('answers 422 for the same key with another body, and creates nothing', async () => {
      const account = await register();
      const headers = { 'X-API-Key': account.api_key, 'Idempotency-Key': randomUUID() };
      await submit(headers, { query: 'first' });
      const other = await submit(headers, { query: 'second' });
      expect(other.status).toBe(422);
      expect(await json(other)).toEqual({ error: 'Idempotency-Key reused with a different request', code: 'IDEMPOTENCY_CONFLICT' });
      expect(await taskCount(account.tenant_id)).toBe(1);
    });

    it('answers 422 for a key reused on another route, whichever came first, and never creates a second task', async () => {
      const account = await register();
      const post = (path: string, headers: Record<string, string>, body: unknown = { query: 'Analyze data' }) =>
        stack.api(path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

      const submitFirst = { 'X-API-Key': account.api_key, 'Idempotency-Key': randomUUID() };
      const submitted = await post('/api/v1/tasks', submitFirst);
      expect(submitted.status).toBe(200);
      const { task_id: taskId } = await json(submitted);
      expect((await post('/api/v1/tasks/stream', submitFirst)).status).toBe(422);
      expect((await post(`/api/v1/tasks/${taskId}/cancel`, submitFirst, {})).status).toBe(422);

      const streamFirst = { 'X-API-Key': account.api_key, 'Idempotency-Key': randomUUID() };
      const forStream = await post('/api/v1/tasks/stream', streamFirst);
      expect(forStream.status).toBe(201);
      const repeat = await post('/api/v1/tasks/stream', streamFirst);
      expect(repeat.status).toBe(201);
      expect(repeat.headers.get('x-idempotency-cached')).toBe('true');
      expect((await json(repeat)).task_id).toBe((await json(forStream)).task_id);
      const conflict = await post('/api/v1/tasks', streamFirst);
      expect(conflict.status).toBe(422);
      expect(await json(conflict)).toEqual({ error: 'Idempotency-Key reused with a different request', code: 'IDEMPOTENCY_CONFLICT' });

      expect(await taskCount(account.tenant_id)).toBe(2);
    });

    it('applies to other POSTs too (creating an API key), through Redis', async () => {
      const account = await register();
      const headers = { Authorization: `Bearer ${account.access_token}`, 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() };
      const create = (name: string) => stack.api('/api/v1/auth/api-keys', { method: 'POST', headers, body: JSON.stringify({ name }) });
      const [first, second] = await Promise.all([create('once'), create('once')]);
      expect([first.status, second.status]).toEqual([201, 201]);
      const [a, b] = [await json(first), await json(second)];
      expect(b.id).toBe(a.id);
      expect([first.headers.get('x-idempotency-cached'), second.headers.get('x-idempotency-cached')].sort()).toEqual([null, 'true'].sort());
      expect((await create('other')).status).toBe(422);
      expect((await json(await stack.api('/api/v1/auth/api-keys', { headers }))).total).toBe(2);
    });

    it.each([
      ['with a space', 'has space'],
      ['too long', 'k'.repeat(300)],
    ])('refuses an Idempotency-Key %s with 400', async (_label, key) => {
      const response = await submit({ 'X-API-Key': DEV_KEY, 'Idempotency-Key': key });
      expect(response.status).toBe(400);
      expect((await json(response)).error).toBe('Invalid Idempotency-Key (1 to 255 printable ASCII characters)');
    });
  });

  describe('tracing, as in the seed', () => {
    it('continues the traceparent of the Full Request example and records it on the task', async () => {
      const response = await submit({ 'X-API-Key': DEV_KEY, 'Idempotency-Key': randomUUID(), traceparent: TRACEPARENT, tracestate: 'shannon=task_abc123,vendor=value' }, { query: 'Analyze data' });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-trace-id')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      const { task_id } = await json(response);
      const status = await json(await stack.api(`/api/v1/tasks/${task_id}`, { headers: { 'X-API-Key': DEV_KEY } }));
      expect(status.metadata.trace_id).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      const stored = await db.query('SELECT trace_id, traceparent, tracestate FROM task.tasks WHERE id = $1', [task_id]);
      expect(stored.rows[0]).toMatchObject({ trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', traceparent: expect.stringMatching(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/), tracestate: 'shannon=task_abc123,vendor=value' });
    });

    it('runs the Python example (its traceparent is malformed, so it is ignored) and returns the headers it reads', async () => {
      const pythonTraceparent = `00-${randomUUID().replace(/-/g, '')}${randomUUID().replace(/-/g, '')}-${randomUUID().replace(/-/g, '').slice(0, 16)}-01`;
      const response = await submit({ 'X-API-Key': DEV_KEY, 'Idempotency-Key': randomUUID(), traceparent: pythonTraceparent }, { query: 'Analyze data' });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-workflow-id')).toMatch(/^task_/);
      expect(response.headers.get('x-session-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
      expect(response.headers.get('x-trace-id')).toMatch(/^[0-9a-f]{32}$/);
    });
  });

  describe('rate limits and CORS', () => {
    it('sends X-RateLimit-* on every authenticated response, even errors', async () => {
      for (const response of [await stack.api('/api/v1/tasks', { headers: { 'X-API-Key': DEV_KEY } }), await stack.api('/api/v1/tasks/task_missing', { headers: { 'X-API-Key': DEV_KEY } })]) {
        expect(response.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
        expect(response.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
        expect(Number(response.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
      }
    });

    it('answers 429 with Retry-After once a key’s bucket is empty, shared by every gateway replica', async () => {
      const account = await register();
      const key = (await createKey({ Authorization: `Bearer ${account.access_token}` }, 'limited')).api_key;
      const id = (await db.query('SELECT id FROM auth.api_keys WHERE prefix = $1 AND user_id = $2', [key.slice(0, 8), account.user_id])).rows[0].id;
      await db.query('UPDATE auth.api_keys SET rate_limit_rpm = 1, rate_limit_burst = 4 WHERE id = $1', [id]);
      const replica = await startExtraGateway(stack);
      try {
        const get = (base: string) => fetch(`${base}/api/v1/tasks`, { headers: { 'X-API-Key': key } });
        const statuses = [(await get(stack.gatewayUrl)).status, (await get(replica.url)).status, (await get(stack.gatewayUrl)).status, (await get(replica.url)).status];
        expect(statuses).toEqual([200, 200, 200, 200]);
        const limited = await get(stack.gatewayUrl);
        expect(limited.status).toBe(429);
        expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(limited.headers.get('x-ratelimit-limit')).toBe('4');
        expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
        expect(await json(limited)).toMatchObject({ error: 'Rate limit exceeded' });
        expect((await get(replica.url)).status).toBe(429);
      } finally {
        await replica.stop();
      }
    });

    it('shows on /auth/me what is left of the minute and the hour, read from the key’s bucket', async () => {
      const account = await register();
      const key = (await createKey({ Authorization: `Bearer ${account.access_token}` }, 'watched')).api_key;
      await db.query('UPDATE auth.api_keys SET rate_limit_rpm = 1, rate_limit_burst = 4 WHERE prefix = $1 AND user_id = $2', [key.slice(0, 8), account.user_id]);
      const me = async () => json(await stack.api('/api/v1/auth/me', { headers: { 'X-API-Key': key } }));

      // Each /me takes its own token first. A bucket of 4 at 1 a minute: the minute allows 1, the hour 60.
      expect((await me()).rate_limits).toEqual({ hour: { limit: 60, remaining: 59 }, minute: { limit: 1, remaining: 1 } });
      expect((await stack.api('/api/v1/tasks', { headers: { 'X-API-Key': key } })).status).toBe(200);
      expect((await stack.api('/api/v1/tasks', { headers: { 'X-API-Key': key } })).status).toBe(200);
      const drained = await me();
      expect(drained.rate_limits).toEqual({ hour: { limit: 60, remaining: 56 }, minute: { limit: 1, remaining: 0 } });
      expect(drained.quotas).toMatchObject({ rate_limit_hour: 60, rate_limit_minute: 1 });
    });

    it('counts the tenant’s tokens this month in /auth/me', async () => {
      const account = await register();
      const headers = { 'X-API-Key': account.api_key };
      const { task_id } = await json(await submit(headers, { query: 'What is the capital of France?' }));
      await waitFor(async () => ((await json(await stack.api(`/api/v1/tasks/${task_id}`, { headers }))).status === 'TASK_STATUS_COMPLETED' ? true : undefined), {
        description: `task ${task_id} to complete`,
      });
      const used = Number((await db.query('SELECT sum(input_tokens + output_tokens) AS n FROM task.tasks WHERE tenant_id = $1', [account.tenant_id])).rows[0].n);

      const profile = await json(await stack.api('/api/v1/auth/me', { headers }));
      expect(used).toBeGreaterThan(0);
      expect(profile.quotas.monthly_usage).toBe(used);
    });

    it('allows every origin in development and answers preflights without credentials', async () => {
      const response = await stack.api('/api/v1/tasks', { method: 'OPTIONS', headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'POST' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
    });
  });

  describe('another gateway replica with changed settings', () => {
    let replica: ExtraGateway | undefined;

    afterEach(async () => {
      await replica?.stop();
      replica = undefined;
    });

    it('fails open when Redis is down: requests pass, the failure is counted in metrics, never a 500', async () => {
      replica = await startExtraGateway(stack, { REDIS_URL: 'redis://127.0.0.1:1' });
      for (let i = 0; i < 3; i += 1) {
        const response = await fetch(`${replica.url}/api/v1/tasks`, { headers: { 'X-API-Key': DEV_KEY } });
        expect(response.status).toBe(200);
        expect(response.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
      }
      const created = await submit({ 'X-API-Key': DEV_KEY, 'Idempotency-Key': randomUUID() }, { query: 'still durable' }, replica.url);
      expect(created.status).toBe(200);
      const metrics = await (await fetch(`${replica.url}/metrics`)).text();
      expect(Number(/gateway_fail_open_total\{feature="rate_limit"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(3);
    });

    it('limits register, login and refresh per client IP', async () => {
      replica = await startExtraGateway(stack, { AUTH_RATE_LIMIT_RPM: '2' });
      const login = () => fetch(`${replica?.url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'x@example.com', password: 'whatever1' }) });
      expect([(await login()).status, (await login()).status]).toEqual([401, 401]);
      const limited = await login();
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    });
  });

  it('refuses to start with GATEWAY_SKIP_AUTH=1 or without INTERNAL_AUTH_SECRET outside development, saying why', async () => {
    const { code, output } = await runGatewayUntilExit({ ENVIRONMENT: 'production', GATEWAY_SKIP_AUTH: '1', PORT: '0' });
    expect(code).toBe(1);
    expect(output).toContain('GATEWAY_SKIP_AUTH=1 is only allowed when ENVIRONMENT is dev, development or test');
    expect(output).toContain('INTERNAL_AUTH_SECRET: must be set');
  });

  it('leaves the audit trail of this run: logins, failures, keys, refreshes, without secrets', async () => {
    const events = await waitFor(async () => {
      const { rows } = await db.query<{ event_type: string }>('SELECT DISTINCT event_type FROM auth.audit_logs');
      const types = rows.map((r) => r.event_type);
      return types.includes('api_key_used') ? types : undefined;
    }, { description: 'the audit log to hold key use' });
    expect(events).toEqual(expect.arrayContaining(['account_created', 'login', 'login_failed', 'token_refresh', 'refresh_token_reused', 'api_key_created', 'api_key_revoked', 'api_key_used']));
    const dump = JSON.stringify((await db.query('SELECT * FROM auth.audit_logs')).rows);
    expect(dump).not.toContain(PASSWORD);
    expect(dump).not.toMatch(/sk_[0-9a-f]{64}/);
  });
});
