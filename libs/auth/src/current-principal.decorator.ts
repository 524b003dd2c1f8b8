import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { UnauthenticatedError } from '@shannon/errors';
import type { CallerIdentity } from './caller-identity';

export interface Principal extends CallerIdentity {
  apiKeyId?: string;
  /** The tenant's plan (free, pro, ...), for per-plan rate limits. */
  plan?: string;
  /** Per-key rate limit overrides set by an operator. */
  rateLimit?: { rpm?: number; burst?: number };
}

/** The request property the gateway's auth guard fills in. */
export const PRINCIPAL_REQUEST_KEY = 'principal';

/** HTTP handler parameter: the authenticated caller. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<Record<string, Principal | undefined>>()[PRINCIPAL_REQUEST_KEY];
  if (!principal) {
    throw new UnauthenticatedError('Authentication required');
  }
  return principal;
});
