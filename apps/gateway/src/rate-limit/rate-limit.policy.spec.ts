import { RateLimitPolicy } from './rate-limit.policy';

describe(RateLimitPolicy.name, () => {
  const sut = new RateLimitPolicy({ RATE_LIMIT_RPM: 60, RATE_LIMIT_BURST: 20, AUTH_RATE_LIMIT_RPM: 30, RATE_LIMIT_PLANS: { pro: { rpm: 300, burst: 100 } } });
  const caller = { tenantId: 't1', userId: 'u1' };

  it('gives each API key its own bucket with the defaults', () => {
    expect(sut.forPrincipal({ ...caller, apiKeyId: 'k1', plan: 'free' })).toEqual({ key: 'key:k1', limits: { capacity: 20, perMinute: 60 } });
  });

  it('gives access tokens and the development user one bucket per user', () => {
    expect(sut.forPrincipal(caller).key).toBe('user:t1:u1');
  });

  it('uses the tenant plan’s limits, and a key’s own override above them', () => {
    expect(sut.forPrincipal({ ...caller, plan: 'pro' }).limits).toEqual({ capacity: 100, perMinute: 300 });
    expect(sut.forPrincipal({ ...caller, plan: 'pro', rateLimit: { burst: 3 } }).limits).toEqual({ capacity: 3, perMinute: 300 });
    expect(sut.forPrincipal({ ...caller, plan: 'unknown-plan', rateLimit: { rpm: 7 } }).limits).toEqual({ capacity: 20, perMinute: 7 });
  });

  it('limits public auth routes per client IP', () => {
    expect(sut.forClientIp('203.0.113.7')).toEqual({ key: 'ip:203.0.113.7', limits: { capacity: 30, perMinute: 30 } });
  });
});
