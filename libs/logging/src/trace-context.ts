import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/** W3C trace context of the work being done: one trace id end to end, one span id per hop. */
export interface TraceContext {
  /** 32 lower-case hex characters, never all zeros. */
  traceId: string;
  /** 16 lower-case hex characters: this hop's span (the parent of the next hop). */
  spanId: string;
  /** 2 hex characters; 01 = sampled. */
  flags: string;
  /** Vendor data, passed on unchanged (dropped when malformed). */
  tracestate?: string;
}

export const TRACEPARENT_HEADER = 'traceparent';
export const TRACESTATE_HEADER = 'tracestate';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-[\x21-\x7e]*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);
const MAX_TRACESTATE_LENGTH = 512;
const MAX_TRACESTATE_MEMBERS = 32;
// key = simple-key / tenant@system, value = printable ASCII without ',' and '=' (W3C tracestate).
const TRACESTATE_MEMBER = /^[a-z0-9][a-z0-9_\-*/]{0,255}(@[a-z][a-z0-9_\-*/]{0,13})?=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

/**
 * Parses a `traceparent` header. Anything malformed (wrong lengths, upper-case hex, version ff,
 * all-zero ids, extra fields on version 00) is ignored: undefined, never an error.
 */
export function parseTraceparent(value: unknown, tracestate?: unknown): TraceContext | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const match = TRACEPARENT.exec(value.trim());
  if (!match) {
    return undefined;
  }
  const [, version, traceId, spanId, flags, extra] = match;
  if (version === 'ff' || (version === '00' && extra) || traceId === ZERO_TRACE || spanId === ZERO_SPAN) {
    return undefined;
  }
  return { traceId, spanId, flags, tracestate: parseTracestate(tracestate) };
}

/** A `tracestate` header kept only when it is well formed and bounded. */
export function parseTracestate(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.trim() || value.length > MAX_TRACESTATE_LENGTH) {
    return undefined;
  }
  const members = value
    .split(',')
    .map((member) => member.trim())
    .filter(Boolean);
  if (members.length > MAX_TRACESTATE_MEMBERS || !members.every((member) => TRACESTATE_MEMBER.test(member))) {
    return undefined;
  }
  return members.join(',');
}

/** A new trace (when none came in). Sampled. */
export function newTrace(): TraceContext {
  return { traceId: randomBytes(16).toString('hex'), spanId: newSpanId(), flags: '01' };
}

/** This hop's span inside the caller's trace. */
export function childSpan(parent: TraceContext): TraceContext {
  return { ...parent, spanId: newSpanId() };
}

/** Continues the incoming trace if there is a valid one, else starts a new one. */
export function continueTrace(traceparent: unknown, tracestate?: unknown): TraceContext {
  const incoming = parseTraceparent(traceparent, tracestate);
  return incoming ? childSpan(incoming) : newTrace();
}

export function formatTraceparent(context: TraceContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.flags}`;
}

/** The headers (gRPC metadata, NATS headers) that carry `context` to the next hop. */
export function traceHeaders(context: TraceContext): Record<string, string> {
  const headers: Record<string, string> = { [TRACEPARENT_HEADER]: formatTraceparent(context) };
  if (context.tracestate) {
    headers[TRACESTATE_HEADER] = context.tracestate;
  }
  return headers;
}

const storage = new AsyncLocalStorage<TraceContext>();

/** Runs `fn` (and everything it starts) inside `context`: clients and publishers pass it on. */
export function runWithTrace<T>(context: TraceContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** Runs `fn` outside any trace (background work that serves many requests). */
export function runOutsideTrace<T>(fn: () => T): T {
  return storage.exit(fn);
}

/** The trace of the work being done, if any. */
export function currentTrace(): TraceContext | undefined {
  return storage.getStore();
}

function newSpanId(): string {
  let id = randomBytes(8).toString('hex');
  while (id === ZERO_SPAN) {
    id = randomBytes(8).toString('hex');
  }
  return id;
}
