import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { UNAUTHENTICATED_HEADERS } from './unauthenticated-headers';
import { toHttpError } from './http-error';

/** Every error leaves the gateway as `{"error": ...}` JSON with the right status. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    sendHttpError(reply, exception, this.logger);
  }
}

export function sendHttpError(reply: FastifyReply, exception: unknown, logger: Pick<Logger, 'error'>): void {
  const errorId = randomUUID();
  const { status, body, unexpected } = toHttpError(exception, errorId);
  if (unexpected) {
    logger.error({ err: exception, errorId }, 'Request failed');
  }
  if (status === 401) {
    reply.headers(UNAUTHENTICATED_HEADERS);
  }
  void reply.status(status).type('application/json').send(body);
}
