import { UnauthenticatedError } from '@shannon/errors';
import { errors, jwtVerify, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';

export const INVALID_TOKEN = 'Invalid or expired token';
/** Longest string ever parsed as a token. */
export const MAX_TOKEN_LENGTH = 4_096;
const ALGORITHM = 'HS256';

export interface AccessTokenSubject {
  tenantId: string;
  userId: string;
  /** The refresh-token family (login) this token was issued from; revoking it ends the token too. */
  familyId: string;
}

export interface AccessTokenClaims {
  tenantId: string;
  userId: string;
  familyId: string;
  expiresAt: Date;
}

export interface AccessTokenOptions {
  secret: string;
  issuer: string;
  ttlSeconds: number;
}

/**
 * HS256 access tokens (jose). Verification accepts HS256 only (so `alg: none` and every other
 * algorithm are refused), checks the signature, issuer, `exp` and `nbf`, and requires our claims.
 * Every failure is the same UNAUTHENTICATED "Invalid or expired token".
 */
export class AccessTokenService {
  private readonly key: Uint8Array;

  constructor(
    private readonly options: AccessTokenOptions,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.key = new TextEncoder().encode(options.secret);
  }

  get ttlSeconds(): number {
    return this.options.ttlSeconds;
  }

  async issue(subject: AccessTokenSubject): Promise<string> {
    const issuedAt = Math.floor(this.now().getTime() / 1000);
    return new SignJWT({ tenant_id: subject.tenantId, fid: subject.familyId })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(subject.userId)
      .setIssuer(this.options.issuer)
      .setIssuedAt(issuedAt)
      .setNotBefore(issuedAt)
      .setExpirationTime(issuedAt + this.options.ttlSeconds)
      .setJti(randomUUID())
      .sign(this.key);
  }

  async verify(token: string): Promise<AccessTokenClaims> {
    if (token.length > MAX_TOKEN_LENGTH) {
      throw new UnauthenticatedError(INVALID_TOKEN);
    }
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: this.options.issuer,
        requiredClaims: ['sub', 'exp', 'iat', 'tenant_id', 'fid'],
        currentDate: this.now(),
      });
      const { sub, exp, tenant_id: tenantId, fid: familyId } = payload;
      if (typeof sub !== 'string' || typeof tenantId !== 'string' || typeof familyId !== 'string' || typeof exp !== 'number') {
        throw new UnauthenticatedError(INVALID_TOKEN);
      }
      return { tenantId, userId: sub, familyId, expiresAt: new Date(exp * 1000) };
    } catch (error) {
      if (error instanceof errors.JOSEError || error instanceof UnauthenticatedError || error instanceof TypeError) {
        throw new UnauthenticatedError(INVALID_TOKEN);
      }
      throw error;
    }
  }
}
