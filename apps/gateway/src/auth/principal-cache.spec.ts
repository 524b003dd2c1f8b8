import { PrincipalCache } from './principal-cache';

describe(PrincipalCache.name, () => {
  const principal = { tenantId: 't', userId: 'u' };
  let now = 0;

  beforeEach(() => {
    now = 1_000;
  });

  it('returns a principal until its time is up', () => {
    const sut = new PrincipalCache(30_000, 10, () => now);
    sut.set('sk_a', principal);
    now += 29_999;
    expect(sut.get('sk_a')).toBe(principal);
    now += 1;
    expect(sut.get('sk_a')).toBeUndefined();
  });

  it('evicts the oldest entry when full', () => {
    const sut = new PrincipalCache(30_000, 2, () => now);
    sut.set('sk_a', principal);
    sut.set('sk_b', principal);
    sut.set('sk_c', principal);
    expect(sut.get('sk_a')).toBeUndefined();
    expect(sut.get('sk_c')).toBe(principal);
  });

  it('keeps nothing when the time to live is zero', () => {
    const sut = new PrincipalCache(0, 2, () => now);
    sut.set('sk_a', principal);
    expect(sut.get('sk_a')).toBeUndefined();
  });

  it('keeps an entry no longer than its credential lives', () => {
    const sut = new PrincipalCache(30_000, 10, () => now);
    sut.set('jwt', principal, now + 5_000);
    now += 5_000;
    expect(sut.get('jwt')).toBeUndefined();
    sut.set('expired-jwt', principal, now - 1);
    expect(sut.get('expired-jwt')).toBeUndefined();
  });

  it('forgets every entry of a revoked API key', () => {
    const sut = new PrincipalCache(30_000, 10, () => now);
    sut.set('sk_a', { ...principal, apiKeyId: 'k1' });
    sut.set('sk_b', { ...principal, apiKeyId: 'k2' });
    sut.evictApiKey('k1');
    expect(sut.get('sk_a')).toBeUndefined();
    expect(sut.get('sk_b')).toBeDefined();
  });
});
