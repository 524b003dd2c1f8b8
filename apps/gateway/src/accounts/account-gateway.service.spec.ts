import { create } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  GetCurrentUserResponseSchema,
  GetTenantUsageResponseSchema,
  LoginResponseSchema,
  type MeResponse,
  RegisterResponseSchema,
  UserSchema,
} from '@shannon/contracts';
import type { ApiKeyRevocations } from '../auth/api-key-revocations';
import type { InternalClients } from '../clients/internal-clients';
import type { RateLimiter } from '../rate-limit/rate-limiter';
import { AccountGatewayService, startOfUtcMonth } from './account-gateway.service';

describe(AccountGatewayService.name, () => {
  const principal = { tenantId: 't1', userId: 'u1', apiKeyId: 'k1', plan: 'pro' };
  const user = create(UserSchema, { userId: 'u1', tenantId: 't1', email: 'ada@example.com', username: 'ada', role: 'owner', plan: 'pro', createdAt: timestampFromDate(new Date()) });
  const tokens = { accessToken: 'jwt', refreshToken: 'opaque', expiresIn: 3600 };
  const client = { ipAddress: '203.0.113.7', userAgent: 'jest' };
  let auth: { register: jest.Mock; login: jest.Mock; getCurrentUser: jest.Mock };
  let task: { getTenantUsage: jest.Mock };
  let limiter: jest.Mocked<Pick<RateLimiter, 'limitsFor' | 'standing'>>;
  let sut: AccountGatewayService;

  beforeEach(() => {
    auth = {
      register: jest.fn().mockResolvedValue(create(RegisterResponseSchema, { user, tokens, apiKey: 'sk_new' })),
      login: jest.fn().mockResolvedValue(create(LoginResponseSchema, { user, tokens })),
      getCurrentUser: jest.fn().mockResolvedValue(create(GetCurrentUserResponseSchema, { user })),
    };
    task = { getTenantUsage: jest.fn().mockResolvedValue(create(GetTenantUsageResponseSchema, { inputTokens: 1_000n, outputTokens: 234n })) };
    limiter = {
      limitsFor: jest.fn().mockReturnValue({ capacity: 100, perMinute: 300 }),
      standing: jest.fn().mockResolvedValue({ limits: { capacity: 10, perMinute: 60 }, available: 4 }),
    };
    sut = new AccountGatewayService({ auth, task } as unknown as InternalClients, {} as ApiKeyRevocations, limiter as unknown as RateLimiter);
  });

  it('gives register and login the quotas of the user’s own bucket under the tenant’s plan', async () => {
    const registered = await sut.register({ email: 'ada@example.com', username: 'ada', password: 'correct horse' }, client);
    const loggedIn = await sut.login({ email: 'ada@example.com', password: 'correct horse' }, client);

    for (const session of [registered, loggedIn]) {
      expect(session.quotas).toEqual({ monthly_tokens: 0, rate_limit_hour: 18_000, rate_limit_minute: 300 });
    }
    expect(limiter.limitsFor).toHaveBeenCalledWith({ tenantId: 't1', userId: 'u1', plan: 'pro' });
    expect(registered).toMatchObject({ api_key: 'sk_new', is_new_user: true });
    expect(loggedIn).toMatchObject({ api_key: '', is_new_user: false });
  });

  it('answers /me with the tenant’s usage since the first of the month and the caller’s windows', async () => {
    const me: MeResponse = await sut.me(principal);

    expect(me.quotas).toEqual({ monthly_tokens: 0, monthly_usage: 1_234, rate_limit_hour: 3_600, rate_limit_minute: 60 });
    // A bucket of 10 at 60 a minute with 4 left: 6 not yet earned back.
    expect(me.rate_limits).toEqual({ hour: { limit: 3_600, remaining: 3_594 }, minute: { limit: 60, remaining: 54 } });
    expect(limiter.standing).toHaveBeenCalledWith(principal);
    const [request, options] = task.getTenantUsage.mock.calls[0];
    expect(timestampDate(request.since)).toEqual(startOfUtcMonth(new Date()));
    expect(options.headers).toMatchObject({ 'x-shannon-tenant-id': 't1', 'x-shannon-user-id': 'u1' });
  });

  it('fails /me rather than report a usage it could not read', async () => {
    task.getTenantUsage.mockRejectedValue(new Error('task service unavailable'));
    await expect(sut.me(principal)).rejects.toThrow('task service unavailable');
  });
});

describe(startOfUtcMonth.name, () => {
  it.each([
    ['2026-12-15T10:30:00Z', '2026-12-01T00:00:00.000Z'],
    ['2026-12-01T00:00:00Z', '2026-12-01T00:00:00.000Z'],
    ['2027-01-01T00:30:00+02:00', '2026-12-01T00:00:00.000Z'],
  ])('counts %s from %s', (at, start) => {
    expect(startOfUtcMonth(new Date(at)).toISOString()).toBe(start);
  });
});
