import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { sendHttpError } from './http-exception.filter';
import { TRACE_ID_HEADER, traceOf } from './request-tracing';

/** Only client errors reach this handler: nothing to log. */
const NO_LOG = { error: () => undefined };

/**
 * Fastify's own refusals before any route runs (a path that is not valid percent-encoding) in the
 * public error shape, instead of Fastify's `{"error","code","message","statusCode"}`; no hook has
 * run for them, so the trace header is set here.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  void reply.header(TRACE_ID_HEADER, traceOf(request).traceId);
  sendHttpError(reply, error, NO_LOG);
}
