import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { type Principal, PRINCIPAL_REQUEST_KEY } from '@shannon/auth';
import { ConflictError, IdempotencyConflictError } from '@shannon/errors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { concatMap, type Observable, of, tap } from 'rxjs';
import { RedisClient } from '../clients/redis.client';
import { FailOpen } from '../metrics/fail-open';
import { IDEMPOTENCY_CACHED_HEADER, idempotencyScope } from './idempotency-key';
import { idempotentRequestOf } from './idempotency-request.decorator';
import { type Claim, RedisIdempotencyStore, type StoredResponse } from './redis-idempotency.store';

/** How long a finished response is replayed. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a repeat waits for the first request to finish before answering 409. */
const WAIT_FOR_FIRST_MS = 10_000;
const POLL_MS = 50;
/** Response headers worth replaying. */
const REPLAYED_HEADERS = ['x-workflow-id', 'x-session-id', 'location', 'link'];

/**
 * Idempotency-Key on every authenticated POST, one record per key in the caller's scope (so the
 * same key on another route is a 422 too; the route's status code is fixed, so a replay answers
 * with the same status as the first): a repeat gets the stored response with
 * X-Idempotency-Cached: true and runs nothing; the same key with another method, path or body is
 * 422; a repeat during the first waits for it, then 409. Only successful responses are kept
 * (24 h): a failed request may be retried. When Redis fails, the request runs without this
 * protection (counted and logged); task submits keep theirs in the task service's database then
 * (ADR 0032).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly store: RedisIdempotencyStore;
  private readonly failOpen = new FailOpen('idempotency');

  constructor(redis: RedisClient) {
    this.store = new RedisIdempotencyStore(redis.redis);
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<FastifyRequest & Record<string, Principal | undefined>>();
    const principal = request[PRINCIPAL_REQUEST_KEY];
    if (request.method !== 'POST' || !principal) {
      return next.handle();
    }
    const idempotent = idempotentRequestOf(request);
    if (!idempotent) {
      return next.handle();
    }
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const scope = idempotencyScope(principal, idempotent.key);
    const fingerprint = idempotent.requestHash;
    let claim: Claim;
    try {
      claim = await this.claim(scope, fingerprint);
    } catch (error) {
      this.failOpen.record(error);
      return next.handle();
    }
    switch (claim.kind) {
      case 'conflict':
        throw new IdempotencyConflictError();
      case 'pending':
        throw new ConflictError('A request with this Idempotency-Key is still being processed; retry shortly');
      case 'replay':
        void reply.headers({ ...claim.response.headers, [IDEMPOTENCY_CACHED_HEADER]: 'true' });
        return of(claim.response.body);
      case 'acquired': {
        const token = claim.token;
        return next.handle().pipe(
          concatMap(async (body: unknown) => {
            await this.store.complete(scope, token, fingerprint, { headers: replayedHeaders(reply), body }, IDEMPOTENCY_TTL_MS).catch((e: unknown) => this.failOpen.record(e));
            return body;
          }),
          tap({ error: () => void this.store.release(scope, token).catch((e: unknown) => this.failOpen.record(e)) }),
        );
      }
    }
  }

  /** Claims the key, waiting while another request holds it. */
  private async claim(scope: string, fingerprint: string): Promise<Claim> {
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      const claim = await this.store.claim(scope, fingerprint);
      if (claim.kind !== 'pending' || Date.now() >= deadline) {
        return claim;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}

function replayedHeaders(reply: FastifyReply): StoredResponse['headers'] {
  const headers: StoredResponse['headers'] = {};
  for (const name of REPLAYED_HEADERS) {
    const value = reply.getHeader(name);
    if (typeof value === 'string') {
      headers[name] = value;
    }
  }
  return headers;
}
