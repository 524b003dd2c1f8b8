import { IDENTITY_SIGNATURE_MAX_AGE_MS, isSignedIdentity, signIdentity, useInternalAuthSecret } from './identity-signature';

describe('identity signature', () => {
  const alice = { tenantId: 't1', userId: 'u1' };
  const now = 1_800_000_000_000;

  afterEach(() => useInternalAuthSecret(undefined));

  it('accepts the identity it was made for, within its age', () => {
    const signature = signIdentity(alice, now);
    expect(isSignedIdentity(alice, signature, now)).toBe(true);
    expect(isSignedIdentity(alice, signature, now + IDENTITY_SIGNATURE_MAX_AGE_MS)).toBe(true);
    expect(isSignedIdentity(alice, signature, now - IDENTITY_SIGNATURE_MAX_AGE_MS)).toBe(true);
  });

  it('refuses another tenant or user, an old or future signature, and a tampered time', () => {
    const signature = signIdentity(alice, now);
    expect(isSignedIdentity({ tenantId: 't2', userId: 'u1' }, signature, now)).toBe(false);
    expect(isSignedIdentity({ tenantId: 't1', userId: 'u2' }, signature, now)).toBe(false);
    expect(isSignedIdentity(alice, signature, now + IDENTITY_SIGNATURE_MAX_AGE_MS + 1)).toBe(false);
    expect(isSignedIdentity(alice, signature, now - IDENTITY_SIGNATURE_MAX_AGE_MS - 1)).toBe(false);
    expect(isSignedIdentity(alice, signature.replace(String(now), String(now + 1)), now)).toBe(false);
  });

  it.each(['', 'abc', '.', `${now}.`, `${now}`, `x.${signIdentity(alice, now).split('.')[1]}`, `${now}.not-base64-of-the-mac`])('refuses the malformed %j', (signature) => {
    expect(isSignedIdentity(alice, signature, now)).toBe(false);
  });

  it('refuses what another secret signed', () => {
    useInternalAuthSecret('a'.repeat(32));
    const signature = signIdentity(alice, now);
    useInternalAuthSecret('b'.repeat(32));
    expect(isSignedIdentity(alice, signature, now)).toBe(false);
    useInternalAuthSecret('a'.repeat(32));
    expect(isSignedIdentity(alice, signature, now)).toBe(true);
  });
});
