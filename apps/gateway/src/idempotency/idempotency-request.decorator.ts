import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { readIdempotencyKey, requestHash } from './idempotency-key';

export interface IdempotentRequest {
  key: string;
  /** Hash of method, path and body: the same key with another hash is a 422. */
  requestHash: string;
}

/** HTTP handler parameter: the request's Idempotency-Key and hash (undefined without a key; 400 when malformed). */
export const IdempotencyRequest = createParamDecorator((_data: unknown, ctx: ExecutionContext): IdempotentRequest | undefined => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  const key = readIdempotencyKey(request.headers);
  return key ? { key, requestHash: requestHash(request.method, request.url, request.body) } : undefined;
});
