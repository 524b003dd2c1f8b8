import { Code } from '@connectrpc/connect';
import type { INestMicroservice } from '@nestjs/common';
import { identityHeaders } from '@shannon/auth';
import type { AuthService, RegisterResponse } from '@shannon/contracts';
import { Migrator } from '@shannon/db';
import { ErrorCode } from '@shannon/errors';
import { describeRemoteError, type GrpcClient } from '@shannon/grpc';
import { connectTestDatabase, ensureTestDatabase, failureOf } from '@shannon/testing';
import { createHmac, randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { AUTH_SCHEMA } from '../src/config';
import { sha256Hex } from '../src/secrets/secret-hash';
import { MIGRATIONS, startAuth, TEST_JWT_SECRET } from './auth-test-service';

const PASSWORD = 'correct horse battery staple';
const client = { ipAddress: '203.0.113.7', userAgent: 'int-spec' };

/** Accounts, tokens and keys against a real PostgreSQL, over real gRPC. */
describe('auth service: accounts, tokens and keys', () => {
  let app: INestMicroservice;
  let sut: GrpcClient<typeof AuthService>;
  let db: Client;

  const unique = () => randomBytes(5).toString('hex');
  const register = (email = `ada-${unique()}@example.com`, username = `ada_${unique()}`) =>
    sut.register({ email, username, password: PASSWORD, fullName: 'Ada Lovelace', client });
  const as = (account: RegisterResponse) => ({ headers: identityHeaders({ tenantId: account.user?.tenantId ?? '', userId: account.user?.userId ?? '' }) });
  const auditOf = async (userId: string) =>
    (await db.query<{ event_type: string; ip_address: string | null; details: object }>('SELECT event_type, ip_address, details FROM auth.audit_logs WHERE user_id = $1 ORDER BY id', [userId])).rows;
  const unauthenticated = async (call: Promise<unknown>, message: string) => {
    const error = await failureOf(call);
    expect(error.code).toBe(Code.Unauthenticated);
    expect(describeRemoteError(error)).toMatchObject({ code: ErrorCode.Unauthenticated, message });
  };

  beforeAll(async () => {
    const url = await ensureTestDatabase('shannon_int_test');
    await new Migrator(url, AUTH_SCHEMA, MIGRATIONS).migrate();
    ({ app, client: sut } = await startAuth(url, 'production'));
    db = await connectTestDatabase(url);
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
  });

  describe('register and login', () => {
    it('creates a tenant, its owner, a first API key and a token pair; stores no secret in clear', async () => {
      const email = `Grace-${unique()}@Example.com`;
      const account = await register(email);

      expect(account.user).toMatchObject({ email: email.toLowerCase(), role: 'owner', plan: 'free', fullName: 'Ada Lovelace' });
      expect(account.apiKey).toMatch(/^sk_[0-9a-f]{64}$/);
      expect(account.tokens).toMatchObject({ expiresIn: 3600, accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/) });
      const { principal } = await sut.validateApiKey({ apiKey: account.apiKey });
      expect(principal).toMatchObject({ tenantId: account.user?.tenantId, userId: account.user?.userId, plan: 'free' });
      const validated = await sut.validateAccessToken({ accessToken: account.tokens?.accessToken ?? '' });
      expect(validated.principal).toMatchObject({ tenantId: account.user?.tenantId, userId: account.user?.userId, apiKeyId: '' });

      const { rows } = await db.query<{ password_hash: string }>('SELECT password_hash FROM auth.users WHERE id = $1', [account.user?.userId]);
      expect(rows[0].password_hash).toMatch(/^scrypt\$ln=12,r=8,p=1\$/);
      const dump = JSON.stringify((await db.query('SELECT * FROM auth.api_keys k, auth.refresh_tokens t')).rows);
      for (const secret of [account.apiKey, account.tokens?.refreshToken ?? '', PASSWORD]) {
        expect(dump).not.toContain(secret);
      }
      // api_key_used is written in the background when the key is first validated.
      expect((await auditOf(account.user?.userId ?? '')).map((e) => e.event_type).slice(0, 2)).toEqual(['account_created', 'api_key_created']);
    });

    it('refuses a second account with the same email (any case) or username', async () => {
      const first = await register();
      const email = first.user?.email ?? '';

      const byEmail = await failureOf(register(email.toUpperCase()));
      expect(byEmail.code).toBe(Code.AlreadyExists);
      expect(byEmail.rawMessage).toBe('Email already registered');
      const byUsername = await failureOf(register(undefined, first.user?.username));
      expect(byUsername.rawMessage).toBe('Username already taken');
    });

    it.each([
      [{ email: 'not-an-email' }, 'email must be a valid email address'],
      [{ email: "x'; DROP TABLE auth.users; --@example.com" }, 'email must be a valid email address'],
      [{ username: 'a b' }, 'username must be 3 to 50 letters, digits, dots, dashes or underscores'],
      [{ username: '{"$gt":""}' }, 'username must be 3 to 50 letters, digits, dots, dashes or underscores'],
      [{ password: 'short' }, 'password must be at least 8 characters'],
      [{ password: 'x'.repeat(129) }, 'password must be at most 128 characters'],
    ])('refuses %j with INVALID_ARGUMENT naming the field', async (override, message) => {
      const error = await failureOf(sut.register({ email: `v-${unique()}@example.com`, username: `v_${unique()}`, password: PASSWORD, ...override }));
      expect(error.code).toBe(Code.InvalidArgument);
      expect(error.rawMessage).toBe(message);
    });

    it('logs in with email (any case) and password, and audits it', async () => {
      const account = await register();
      const login = await sut.login({ email: ` ${account.user?.email.toUpperCase()} `, password: PASSWORD, client });

      expect(login.user?.userId).toBe(account.user?.userId);
      await expect(sut.validateAccessToken({ accessToken: login.tokens?.accessToken ?? '' })).resolves.toBeDefined();
      const events = await auditOf(account.user?.userId ?? '');
      expect(events.at(-1)).toMatchObject({ event_type: 'login', ip_address: '203.0.113.7' });
    });

    it('fails a wrong password and an unknown email the same way', async () => {
      const account = await register();
      await unauthenticated(sut.login({ email: account.user?.email ?? '', password: 'wrong password', client }), 'Invalid email or password');
      await unauthenticated(sut.login({ email: `nobody-${unique()}@example.com`, password: PASSWORD, client }), 'Invalid email or password');
      await unauthenticated(sut.login({ email: "' OR 1=1 --", password: "' OR 1=1 --", client }), 'Invalid email or password');
      expect((await auditOf(account.user?.userId ?? '')).at(-1)?.event_type).toBe('login_failed');
    });
  });

  describe('refresh tokens', () => {
    it('rotates: the new pair works, the spent token is refused, and its reuse revokes the whole family', async () => {
      const account = await register();
      const first = account.tokens?.refreshToken ?? '';
      const { tokens: second } = await sut.refreshToken({ refreshToken: first, client });
      expect(second?.refreshToken).not.toBe(first);
      await expect(sut.validateAccessToken({ accessToken: second?.accessToken ?? '' })).resolves.toBeDefined();

      await unauthenticated(sut.refreshToken({ refreshToken: first, client }), 'Invalid refresh token');

      // The family is revoked: the newest refresh token and every access token from this login stop working.
      await unauthenticated(sut.refreshToken({ refreshToken: second?.refreshToken ?? '', client }), 'Invalid refresh token');
      await unauthenticated(sut.validateAccessToken({ accessToken: second?.accessToken ?? '' }), 'Invalid or expired token');
      await unauthenticated(sut.validateAccessToken({ accessToken: account.tokens?.accessToken ?? '' }), 'Invalid or expired token');
      expect((await auditOf(account.user?.userId ?? '')).map((e) => e.event_type)).toEqual(expect.arrayContaining(['token_refresh', 'refresh_token_reused']));

      // Another login is another family and is not affected.
      const again = await sut.login({ email: account.user?.email ?? '', password: PASSWORD, client });
      await expect(sut.refreshToken({ refreshToken: again.tokens?.refreshToken ?? '', client })).resolves.toBeDefined();
    });

    it('lets exactly one of two concurrent uses of one token through, then revokes the family', async () => {
      const account = await register();
      const token = account.tokens?.refreshToken ?? '';
      const results = await Promise.allSettled([sut.refreshToken({ refreshToken: token, client }), sut.refreshToken({ refreshToken: token, client })]);

      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const winner = results.find((r) => r.status === 'fulfilled');
      const rotated = winner?.status === 'fulfilled' ? winner.value.tokens?.refreshToken : undefined;
      await unauthenticated(sut.refreshToken({ refreshToken: rotated ?? '', client }), 'Invalid refresh token');
    });

    it('refuses an expired refresh token', async () => {
      const account = await register();
      const token = account.tokens?.refreshToken ?? '';
      await db.query(`UPDATE auth.refresh_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [sha256Hex(token)]);
      await unauthenticated(sut.refreshToken({ refreshToken: token, client }), 'Invalid refresh token');
    });

    it.each(['', 'garbage', "' OR '1'='1", 'x'.repeat(10_000)])('refuses the refresh token %j', async (token) => {
      await unauthenticated(sut.refreshToken({ refreshToken: token, client }), 'Invalid refresh token');
    });
  });

  describe('access tokens', () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

    it('refuses alg none, a wrong signature and an expired token alike', async () => {
      const account = await register();
      const [header, payload] = (account.tokens?.accessToken ?? '').split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      const signed = (body: string, secret: string) => `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;

      await unauthenticated(sut.validateAccessToken({ accessToken: `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.` }), 'Invalid or expired token');
      await unauthenticated(sut.validateAccessToken({ accessToken: signed(`${header}.${payload}`, 'wrong-secret-wrong-secret-wrong-secret') }), 'Invalid or expired token');
      const expired = b64({ ...claims, iat: 1_600_000_000, nbf: 1_600_000_000, exp: 1_600_003_600 });
      await unauthenticated(sut.validateAccessToken({ accessToken: signed(`${header}.${expired}`, TEST_JWT_SECRET) }), 'Invalid or expired token');
      // The same construction with a live expiry passes, so the refusals above are about alg, signature and time.
      await expect(sut.validateAccessToken({ accessToken: signed(`${header}.${payload}`, TEST_JWT_SECRET) })).resolves.toBeDefined();
    });
  });

  describe('API keys', () => {
    it('creates, lists (never the secret) and revokes keys; a revoked key stops validating', async () => {
      const account = await register();
      const created = await sut.createApiKey({ name: 'ci', description: 'for CI', expiresInDays: 7, client }, as(account));
      expect(created.apiKey).toMatch(/^sk_[0-9a-f]{64}$/);
      expect(created.key).toMatchObject({ name: 'ci', description: 'for CI', keyPrefix: created.apiKey.slice(0, 8), enabled: true });
      await expect(sut.validateApiKey({ apiKey: created.apiKey })).resolves.toBeDefined();

      const { keys } = await sut.listApiKeys({}, as(account));
      expect(keys.map((k) => k.name)).toEqual(['ci', 'Default API Key']);
      expect(JSON.stringify(keys.map(({ id, name, description, keyPrefix }) => ({ id, name, description, keyPrefix })))).not.toContain(created.apiKey.slice(8));

      await sut.revokeApiKey({ id: created.key?.id ?? '', client }, as(account));
      await unauthenticated(sut.validateApiKey({ apiKey: created.apiKey }), 'Invalid API key');
      const again = await failureOf(sut.revokeApiKey({ id: created.key?.id ?? '', client }, as(account)));
      expect(again.code).toBe(Code.NotFound);
      expect(again.rawMessage).toBe('API key not found or already revoked');
      const listed = await sut.listApiKeys({}, as(account));
      expect(listed.keys.find((k) => k.id === created.key?.id)?.enabled).toBe(false);
      expect((await auditOf(account.user?.userId ?? '')).map((e) => e.event_type)).toEqual(expect.arrayContaining(['api_key_created', 'api_key_revoked']));
    });

    it("keeps tenants apart: another tenant's key cannot be listed or revoked (NOT_FOUND, same as unknown)", async () => {
      const owner = await register();
      const stranger = await register();
      const { key, apiKey } = await sut.createApiKey({ name: 'mine' }, as(owner));

      expect((await sut.listApiKeys({}, as(stranger))).keys.map((k) => k.id)).not.toContain(key?.id);
      const error = await failureOf(sut.revokeApiKey({ id: key?.id ?? '' }, as(stranger)));
      expect(error.code).toBe(Code.NotFound);
      expect(error.rawMessage).toBe('API key not found or already revoked');
      await expect(sut.validateApiKey({ apiKey })).resolves.toBeDefined();
    });

    it('refuses disabled and expired keys with the same message as unknown ones', async () => {
      const account = await register();
      const disabled = await sut.createApiKey({ name: 'disabled' }, as(account));
      const expired = await sut.createApiKey({ name: 'expired' }, as(account));
      await db.query('UPDATE auth.api_keys SET enabled = false WHERE id = $1', [disabled.key?.id]);
      await db.query(`UPDATE auth.api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.key?.id]);

      for (const apiKey of [disabled.apiKey, expired.apiKey, `sk_${'0'.repeat(64)}`, 'sk_', 'garbage']) {
        await unauthenticated(sut.validateApiKey({ apiKey }), 'Invalid API key');
      }
    });

    it('returns per-key rate limit overrides with the principal', async () => {
      const account = await register();
      await db.query('UPDATE auth.api_keys SET rate_limit_rpm = 5, rate_limit_burst = 2 WHERE user_id = $1', [account.user?.userId]);
      await db.query(`UPDATE auth.tenants SET plan = 'pro' WHERE id = $1`, [account.user?.tenantId]);
      const { principal } = await sut.validateApiKey({ apiKey: account.apiKey });
      expect(principal).toMatchObject({ plan: 'pro', rateLimitRpm: 5, rateLimitBurst: 2 });
    });

    it('answers the signed-in user', async () => {
      const account = await register();
      const { user } = await sut.getCurrentUser({}, as(account));
      expect(user).toMatchObject({ userId: account.user?.userId, email: account.user?.email, username: account.user?.username });
    });
  });
});
