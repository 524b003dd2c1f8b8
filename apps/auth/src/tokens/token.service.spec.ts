import { UnauthenticatedError } from '@shannon/errors';
import { randomUUID } from 'node:crypto';
import type { AuditLogRepository } from '../audit/audit-log.repository';
import { sha256Hex } from '../secrets/secret-hash';
import { AccessTokenService } from './access-token.service';
import type { RefreshTokenRepository } from './refresh-token.repository';
import { INVALID_REFRESH_TOKEN, TokenService } from './token.service';

describe(TokenService.name, () => {
  const now = new Date('2026-12-01T10:00:00Z');
  const owner = { tenantId: randomUUID(), userId: randomUUID() };
  const familyId = randomUUID();
  const access = new AccessTokenService({ secret: 'unit-test-secret-unit-test-secret-1234', issuer: 'shannon-platform', ttlSeconds: 3600 }, () => now);
  let refresh: jest.Mocked<Pick<RefreshTokenRepository, 'createFamily' | 'rotate' | 'familyStatus'>>;
  let audit: jest.Mocked<Pick<AuditLogRepository, 'record'>>;
  let sut: TokenService;

  beforeEach(() => {
    refresh = { createFamily: jest.fn().mockResolvedValue(familyId), rotate: jest.fn(), familyStatus: jest.fn() };
    audit = { record: jest.fn().mockResolvedValue(undefined) };
    sut = new TokenService(access, refresh as unknown as RefreshTokenRepository, audit as unknown as AuditLogRepository, 30, () => now);
  });

  it('starts a family whose first refresh token is stored only as a hash, expiring in 30 days', async () => {
    const pair = await sut.startSession(owner);
    expect(pair.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pair.expiresIn).toBe(3600);
    expect(refresh.createFamily).toHaveBeenCalledWith(owner, sha256Hex(pair.refreshToken), new Date('2026-12-31T10:00:00Z'));
    await expect(access.verify(pair.accessToken)).resolves.toMatchObject({ ...owner, familyId });
  });

  it('rotates a refresh token into a new pair of the same family and audits it', async () => {
    refresh.rotate.mockResolvedValue({ kind: 'rotated', owner, familyId });
    const pair = await sut.refresh('old-token', { ipAddress: '10.0.0.1' });
    expect(refresh.rotate).toHaveBeenCalledWith(sha256Hex('old-token'), sha256Hex(pair.refreshToken), expect.any(Date), now);
    expect(audit.record).toHaveBeenCalledWith({ type: 'token_refresh', ...owner, client: { ipAddress: '10.0.0.1' }, details: { family_id: familyId } });
  });

  it('refuses a reused token (the repository has revoked the family) and audits the reuse', async () => {
    refresh.rotate.mockResolvedValue({ kind: 'reused', owner, familyId });
    await expect(sut.refresh('spent', {})).rejects.toEqual(new UnauthenticatedError(INVALID_REFRESH_TOKEN));
    expect(audit.record).toHaveBeenCalledWith(expect.objectContaining({ type: 'refresh_token_reused', ...owner }));
  });

  it.each(['', 'x'.repeat(257)])('refuses %j without a look-up', async (token) => {
    await expect(sut.refresh(token, {})).rejects.toEqual(new UnauthenticatedError(INVALID_REFRESH_TOKEN));
    expect(refresh.rotate).not.toHaveBeenCalled();
  });

  it('validates an access token only while its family stands', async () => {
    const token = await access.issue({ ...owner, familyId });
    refresh.familyStatus.mockResolvedValue({ ...owner, revoked: false, plan: 'pro' });
    await expect(sut.validateAccessToken(token)).resolves.toEqual({ principal: { ...owner, plan: 'pro' }, expiresAt: new Date('2026-12-01T11:00:00Z') });

    refresh.familyStatus.mockResolvedValue({ ...owner, revoked: true, plan: 'pro' });
    await expect(sut.validateAccessToken(token)).rejects.toEqual(new UnauthenticatedError('Invalid or expired token'));
    refresh.familyStatus.mockResolvedValue(null);
    await expect(sut.validateAccessToken(token)).rejects.toEqual(new UnauthenticatedError('Invalid or expired token'));
    refresh.familyStatus.mockResolvedValue({ ...owner, userId: randomUUID(), revoked: false, plan: 'free' });
    await expect(sut.validateAccessToken(token)).rejects.toEqual(new UnauthenticatedError('Invalid or expired token'));
  });
});
