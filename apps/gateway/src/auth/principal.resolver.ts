import { timestampMs } from '@bufbuild/protobuf/wkt';
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@shannon/auth';
import type { Principal as PrincipalMessage } from '@shannon/contracts';
import { ErrorCode, UnauthenticatedError } from '@shannon/errors';
import { describeRemoteError } from '@shannon/grpc';
import { InternalClients } from '../clients/internal-clients';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { type CredentialSource, extractCredential, type RequestCredential } from './credentials';
import { PrincipalCache } from './principal-cache';

export const AUTHENTICATION_REQUIRED = 'Authentication required';
export const INVALID_API_KEY = 'Invalid API key';
export const INVALID_TOKEN = 'Invalid or expired token';
/** Longer credentials are refused without asking the auth service. */
const MAX_CREDENTIAL_LENGTH = 4_096;

/** The gateway's view of an auth service principal. */
export function toPrincipal(message: PrincipalMessage): Principal {
  return {
    tenantId: message.tenantId,
    userId: message.userId,
    apiKeyId: message.apiKeyId || undefined,
    plan: message.plan || undefined,
    rateLimit: message.rateLimitRpm || message.rateLimitBurst ? { rpm: message.rateLimitRpm || undefined, burst: message.rateLimitBurst || undefined } : undefined,
  };
}

/**
 * Who a request is: from its API key or access token (checked by the auth service, the answer
 * cached for AUTH_CACHE_TTL_MS) or, with skip-auth in development, the development user. A
 * credential that is sent is always checked, even with skip-auth on.
 */
@Injectable()
export class PrincipalResolver {
  private readonly cache: PrincipalCache;
  private developmentPrincipal?: Principal;

  constructor(
    private readonly clients: InternalClients,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.cache = new PrincipalCache(config.AUTH_CACHE_TTL_MS);
  }

  async resolve(request: CredentialSource): Promise<Principal> {
    const credential = extractCredential(request);
    if (!credential) {
      if (this.config.GATEWAY_SKIP_AUTH) {
        return this.development();
      }
      throw new UnauthenticatedError(AUTHENTICATION_REQUIRED);
    }
    const refusal = credential.kind === 'api_key' ? INVALID_API_KEY : INVALID_TOKEN;
    if (credential.value.length > MAX_CREDENTIAL_LENGTH) {
      throw new UnauthenticatedError(refusal);
    }
    const cacheKey = `${credential.kind}:${credential.value}`;
    const cached = this.cache.get(cacheKey);
    if (cached) {
      return cached;
    }
    try {
      return await this.validate(credential, cacheKey);
    } catch (error) {
      if (error instanceof UnauthenticatedError || describeRemoteError(error).code === ErrorCode.Unauthenticated) {
        throw new UnauthenticatedError(refusal);
      }
      throw error;
    }
  }

  /** Forgets a revoked key at once on this replica (others forget it within AUTH_CACHE_TTL_MS, or on the revocation notice). */
  forgetApiKey(apiKeyId: string): void {
    this.cache.evictApiKey(apiKeyId);
  }

  private async validate(credential: RequestCredential, cacheKey: string): Promise<Principal> {
    if (credential.kind === 'api_key') {
      const { principal } = await this.clients.auth.validateApiKey({ apiKey: credential.value });
      const resolved = this.required(principal);
      this.cache.set(cacheKey, resolved);
      return resolved;
    }
    const { principal, expiresAt } = await this.clients.auth.validateAccessToken({ accessToken: credential.value });
    const resolved = this.required(principal);
    this.cache.set(cacheKey, resolved, expiresAt ? timestampMs(expiresAt) : undefined);
    return resolved;
  }

  private required(principal: PrincipalMessage | undefined): Principal {
    if (!principal) {
      throw new UnauthenticatedError(AUTHENTICATION_REQUIRED);
    }
    return toPrincipal(principal);
  }

  private async development(): Promise<Principal> {
    if (!this.developmentPrincipal) {
      const { principal } = await this.clients.auth.getDevelopmentPrincipal({});
      if (!principal) {
        throw new Error('The auth service did not name the development user');
      }
      this.developmentPrincipal = toPrincipal(principal);
    }
    return this.developmentPrincipal;
  }
}
