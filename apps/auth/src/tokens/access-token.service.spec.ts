import { UnauthenticatedError } from '@shannon/errors';
import { createHmac, randomUUID } from 'node:crypto';
import { AccessTokenService, INVALID_TOKEN } from './access-token.service';

const SECRET = 'a-test-secret-that-is-long-enough-123456';
const subject = { tenantId: randomUUID(), userId: randomUUID(), familyId: randomUUID() };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** Builds a token by hand, for the forms jose would never produce. */
function forge(header: Record<string, unknown>, claims: Record<string, unknown>, secret = SECRET): string {
  const body = `${b64(header)}.${b64(claims)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

describe(AccessTokenService.name, () => {
  let now: Date;
  let sut: AccessTokenService;
  const claimsAt = (at: Date) => {
    const iat = Math.floor(at.getTime() / 1000);
    return { sub: subject.userId, tenant_id: subject.tenantId, fid: subject.familyId, iss: 'shannon-platform', iat, nbf: iat, exp: iat + 3600 };
  };

  beforeEach(() => {
    now = new Date('2026-12-01T10:00:00Z');
    sut = new AccessTokenService({ secret: SECRET, issuer: 'shannon-platform', ttlSeconds: 3600 }, () => now);
  });

  it('issues an HS256 token that verifies to its subject and expires in one hour', async () => {
    const token = await sut.issue(subject);
    expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    await expect(sut.verify(token)).resolves.toEqual({
      tenantId: subject.tenantId,
      userId: subject.userId,
      familyId: subject.familyId,
      expiresAt: new Date('2026-12-01T11:00:00Z'),
    });
  });

  it('refuses a token once it has expired', async () => {
    const token = await sut.issue(subject);
    now = new Date('2026-12-01T11:00:01Z');
    await expect(sut.verify(token)).rejects.toEqual(new UnauthenticatedError(INVALID_TOKEN));
  });

  it('refuses a token signed with another secret', async () => {
    const other = new AccessTokenService({ secret: 'another-secret-that-is-long-enough-0000', issuer: 'shannon-platform', ttlSeconds: 3600 }, () => now);
    await expect(sut.verify(await other.issue(subject))).rejects.toEqual(new UnauthenticatedError(INVALID_TOKEN));
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const [header, , signature] = (await sut.issue(subject)).split('.');
    const tampered = `${header}.${b64({ ...claimsAt(now), tenant_id: randomUUID() })}.${signature}`;
    await expect(sut.verify(tampered)).rejects.toEqual(new UnauthenticatedError(INVALID_TOKEN));
  });

  it.each([
    ['alg none, no signature', `${b64({ alg: 'none', typ: 'JWT' })}.${b64({})}.`],
    ['alg none with claims', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claimsAt(new Date('2026-12-01T10:00:00Z')))}.`],
    ['alg HS512 with the right secret', () => forge({ alg: 'HS512', typ: 'JWT' }, claimsAt(new Date('2026-12-01T10:00:00Z')))],
    ['another issuer', () => forge({ alg: 'HS256' }, { ...claimsAt(new Date('2026-12-01T10:00:00Z')), iss: 'evil' })],
    ['no tenant claim', () => forge({ alg: 'HS256' }, { ...claimsAt(new Date('2026-12-01T10:00:00Z')), tenant_id: undefined })],
    ['a tenant claim of the wrong type', () => forge({ alg: 'HS256' }, { ...claimsAt(new Date('2026-12-01T10:00:00Z')), tenant_id: 42 })],
    ['not yet valid', () => forge({ alg: 'HS256' }, { ...claimsAt(new Date('2026-12-01T10:00:00Z')), nbf: 1_900_000_000 })],
    ['garbage', 'not.a.jwt'],
    ['two parts', 'abc.def'],
    ['empty', ''],
    ['SQL injection', "' OR '1'='1"],
    ['JSON injection', '{"alg":"none"}'],
    ['oversized', 'a'.repeat(5_000)],
  ])('refuses %s', async (_label, token) => {
    const value = typeof token === 'function' ? token() : token;
    await expect(sut.verify(value)).rejects.toEqual(new UnauthenticatedError(INVALID_TOKEN));
  });

  it('accepts a hand-made token with the right algorithm, secret and claims (the forge helper is sound)', async () => {
    await expect(sut.verify(forge({ alg: 'HS256', typ: 'JWT' }, claimsAt(now)))).resolves.toMatchObject({ userId: subject.userId });
  });
});
