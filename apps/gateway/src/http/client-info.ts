import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

export interface RequestClient {
  ipAddress: string;
  userAgent: string;
}

/** HTTP handler parameter: who is asking (client IP, honouring TRUST_PROXY, and user agent), for the audit log. */
export const Client = createParamDecorator((_data: unknown, ctx: ExecutionContext): RequestClient => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  const userAgent = request.headers['user-agent'];
  return { ipAddress: request.ip, userAgent: (Array.isArray(userAgent) ? userAgent[0] : userAgent) ?? '' };
});
