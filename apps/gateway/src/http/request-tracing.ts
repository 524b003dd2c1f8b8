import { continueTrace, runWithTrace, type TraceContext, TRACEPARENT_HEADER, TRACESTATE_HEADER } from '@shannon/logging';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export const TRACE_ID_HEADER = 'X-Trace-ID';

const traces = new WeakMap<FastifyRequest, TraceContext>();

/** The trace a request runs in. */
export function requestTrace(request: FastifyRequest): TraceContext | undefined {
  return traces.get(request);
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The trace a request runs in, begun (from its `traceparent`, or new) if nothing has begun it yet. */
export function traceOf(request: FastifyRequest): TraceContext {
  let trace = traces.get(request);
  if (!trace) {
    trace = continueTrace(single(request.headers[TRACEPARENT_HEADER]), single(request.headers[TRACESTATE_HEADER]));
    traces.set(request, trace);
  }
  return trace;
}

/**
 * Every request runs in a span of the caller's W3C trace (`traceparent`/`tracestate`), or of a new
 * trace when none or a malformed one came in; every response names it in X-Trace-ID, and every
 * gRPC call made while serving it carries it on. Register before anything that may answer.
 */
export function registerRequestTracing(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const trace = traceOf(request);
    void reply.header(TRACE_ID_HEADER, trace.traceId);
    runWithTrace(trace, done);
  });
  // A reply sent by a hook that ran first (a CORS preflight) still names a trace.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (!reply.hasHeader(TRACE_ID_HEADER)) {
      void reply.header(TRACE_ID_HEADER, traceOf(request).traceId);
    }
    done(null, payload);
  });
  // Body parsing may resume on another async context: enter the trace again right before the handler.
  fastify.addHook('preHandler', (request, _reply, done) => {
    const trace = traces.get(request);
    if (trace) {
      runWithTrace(trace, done);
    } else {
      done();
    }
  });
}
