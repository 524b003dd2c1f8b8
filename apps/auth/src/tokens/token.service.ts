import type { Principal } from '@shannon/auth';
import { UnauthenticatedError } from '@shannon/errors';
import { randomBytes } from 'node:crypto';
import type { AuditLogRepository, ClientContext } from '../audit/audit-log.repository';
import { sha256Hex } from '../secrets/secret-hash';
import { type AccessTokenService, INVALID_TOKEN } from './access-token.service';
import type { RefreshTokenRepository, TokenOwner } from './refresh-token.repository';

export const INVALID_REFRESH_TOKEN = 'Invalid refresh token';
const MAX_REFRESH_TOKEN_LENGTH = 256;
const DAY_MS = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface ValidatedAccessToken {
  principal: Principal;
  expiresAt: Date;
}

/**
 * Access tokens (JWT, short) and refresh tokens (opaque, 30 days, rotated on every use). Each
 * login starts a family; a refresh token used a second time revokes its family, which ends every
 * refresh token and every access token issued from that login.
 */
export class TokenService {
  constructor(
    private readonly access: AccessTokenService,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly audit: AuditLogRepository,
    private readonly refreshTtlDays: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A new family (one login) and its first pair. */
  async startSession(owner: TokenOwner): Promise<TokenPair> {
    const refreshToken = newRefreshToken();
    const familyId = await this.refreshTokens.createFamily(owner, sha256Hex(refreshToken), this.refreshExpiry());
    return this.pair(owner, familyId, refreshToken);
  }

  async refresh(refreshToken: string, client: ClientContext): Promise<TokenPair> {
    if (!refreshToken || refreshToken.length > MAX_REFRESH_TOKEN_LENGTH) {
      throw new UnauthenticatedError(INVALID_REFRESH_TOKEN);
    }
    const next = newRefreshToken();
    const outcome = await this.refreshTokens.rotate(sha256Hex(refreshToken), sha256Hex(next), this.refreshExpiry(), this.now());
    switch (outcome.kind) {
      case 'invalid':
        throw new UnauthenticatedError(INVALID_REFRESH_TOKEN);
      case 'reused':
        await this.audit.record({ type: 'refresh_token_reused', ...outcome.owner, client, details: { family_id: outcome.familyId } });
        throw new UnauthenticatedError(INVALID_REFRESH_TOKEN);
      case 'rotated':
        await this.audit.record({ type: 'token_refresh', ...outcome.owner, client, details: { family_id: outcome.familyId } });
        return this.pair(outcome.owner, outcome.familyId, next);
    }
  }

  /** A valid signature is not enough: the token's family must not have been revoked. */
  async validateAccessToken(token: string): Promise<ValidatedAccessToken> {
    const claims = await this.access.verify(token);
    const family = UUID.test(claims.familyId) ? await this.refreshTokens.familyStatus(claims.familyId) : null;
    if (!family || family.revoked || family.userId !== claims.userId || family.tenantId !== claims.tenantId) {
      throw new UnauthenticatedError(INVALID_TOKEN);
    }
    return { principal: { tenantId: claims.tenantId, userId: claims.userId, plan: family.plan }, expiresAt: claims.expiresAt };
  }

  private async pair(owner: TokenOwner, familyId: string, refreshToken: string): Promise<TokenPair> {
    const accessToken = await this.access.issue({ ...owner, familyId });
    return { accessToken, refreshToken, expiresIn: this.access.ttlSeconds };
  }

  private refreshExpiry(): Date {
    return new Date(this.now().getTime() + this.refreshTtlDays * DAY_MS);
  }
}

/** 256 random bits, base64url. */
function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}
