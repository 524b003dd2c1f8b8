import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Principal, PRINCIPAL_REQUEST_KEY } from '@shannon/auth';
import { RateLimitedError } from '@shannon/errors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RATE_LIMIT_BY_IP } from './rate-limit-by-ip.decorator';
import { type RateLimitDecision, RateLimiter } from './rate-limiter';

export const RATE_LIMIT_EXCEEDED = 'Rate limit exceeded';

/**
 * Runs after authentication: every authenticated request takes one token from its caller's
 * bucket and its response carries X-RateLimit-Limit/Remaining/Reset; an empty bucket answers 429
 * with Retry-After. Public routes are not limited, except those marked @RateLimitByIp().
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.limiter.enabled) {
      return true;
    }
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & Record<string, Principal | undefined>>();
    const principal = request[PRINCIPAL_REQUEST_KEY];
    const byIp = this.reflector.getAllAndOverride<boolean>(RATE_LIMIT_BY_IP, [context.getHandler(), context.getClass()]);
    if (!principal && !byIp) {
      return true;
    }
    const decision = principal ? await this.limiter.forPrincipal(principal) : await this.limiter.forClientIp(request.ip);
    applyHeaders(http.getResponse<FastifyReply>(), decision);
    if (!decision.allowed) {
      throw new RateLimitedError(RATE_LIMIT_EXCEEDED);
    }
    return true;
  }
}

function applyHeaders(reply: FastifyReply, decision: RateLimitDecision): void {
  void reply.headers({
    'X-RateLimit-Limit': String(decision.limit),
    'X-RateLimit-Remaining': String(decision.remaining),
    'X-RateLimit-Reset': String(Math.ceil(decision.resetAtMs / 1000)),
  });
  if (!decision.allowed) {
    void reply.header('Retry-After', String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))));
  }
}
