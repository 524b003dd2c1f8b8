import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { readIdempotencyKey, requestHash } from './idempotency-key';

export interface IdempotentRequest {
  key: string;
  /** Hash of method, path and body: the same key with another hash is a 422. */
  requestHash: string;
}

const read = new WeakMap<FastifyRequest, IdempotentRequest | undefined>();

/**
 * The request's Idempotency-Key and hash (undefined without a key; 400 when malformed), worked out
 * once per request: the interceptor and the submit route both read it.
 */
export function idempotentRequestOf(request: FastifyRequest): IdempotentRequest | undefined {
  if (!read.has(request)) {
    const key = readIdempotencyKey(request.headers);
    read.set(request, key ? { key, requestHash: requestHash(request.method, request.url, request.body) } : undefined);
  }
  return read.get(request);
}

/** HTTP handler parameter: the request's Idempotency-Key and hash (undefined without a key; 400 when malformed). */
export const IdempotencyRequest = createParamDecorator((_data: unknown, ctx: ExecutionContext): IdempotentRequest | undefined =>
  idempotentRequestOf(ctx.switchToHttp().getRequest<FastifyRequest>()),
);
