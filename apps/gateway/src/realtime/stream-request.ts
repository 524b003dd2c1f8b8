import { CLIENT_ID_REGEX } from '@shannon/contracts';
import { ValidationError } from '@shannon/errors';

const SEQ = /^\d{1,15}$/;
const STREAM_ID = /^\d{1,15}-(\d{1,15})$/;
const TYPE = /^[A-Za-z0-9_.]{1,64}$/;
const MAX_TYPES = 64;

export const INVALID_LAST_EVENT_ID = 'Invalid last_event_id';

/** What a client asked to stream: a task, where to resume, which types. */
export interface StreamRequest {
  taskId: string;
  /** Deliver events with seq > afterSeq. */
  afterSeq: number;
  /** Empty: every type. */
  types: ReadonlySet<string>;
}

export interface RawStreamRequest {
  taskId: unknown;
  /** Where the task id came from, for the error message. */
  taskIdFrom: 'path' | 'query';
  lastEventIdHeader?: unknown;
  lastEventIdQuery?: unknown;
  types?: unknown;
}

/** Checks a stream request; anything malformed is a 400 naming the problem. */
export function parseStreamRequest(raw: RawStreamRequest): StreamRequest {
  if (typeof raw.taskId !== 'string' || !CLIENT_ID_REGEX.test(raw.taskId)) {
    throw new ValidationError(raw.taskIdFrom === 'path' ? 'Invalid task ID format' : 'Invalid or missing workflow_id');
  }
  return { taskId: raw.taskId, afterSeq: parseResumePoint(raw.lastEventIdHeader, raw.lastEventIdQuery), types: parseTypes(raw.types) };
}

/**
 * The `Last-Event-ID` header, else the `last_event_id` query: a seq (`42`) or a stream id as we
 * emit it (`<ms>-<seq>`); absent: from the start.
 */
export function parseResumePoint(header: unknown, query: unknown): number {
  const value = firstNonEmpty(header, INVALID_LAST_EVENT_ID) ?? firstNonEmpty(query, INVALID_LAST_EVENT_ID);
  if (value === undefined) {
    return 0;
  }
  if (SEQ.test(value)) {
    return Number(value);
  }
  const streamId = STREAM_ID.exec(value);
  if (streamId) {
    return Number(streamId[1]);
  }
  throw new ValidationError(INVALID_LAST_EVENT_ID);
}

function parseTypes(value: unknown): ReadonlySet<string> {
  const text = firstNonEmpty(value, 'Invalid types parameter');
  if (text === undefined) {
    return new Set();
  }
  const types = text
    .split(',')
    .map((type) => type.trim())
    .filter((type) => type.length > 0);
  const bad = types.find((type) => !TYPE.test(type));
  if (bad !== undefined || types.length > MAX_TYPES) {
    throw new ValidationError(bad === undefined ? `Invalid types parameter: at most ${MAX_TYPES} types` : `Invalid types parameter: ${JSON.stringify(bad)}`);
  }
  return new Set(types);
}

function firstNonEmpty(value: unknown, invalid: string): string | undefined {
  const first = Array.isArray(value) ? (value as unknown[])[0] : value;
  if (first === undefined || first === null) {
    return undefined;
  }
  if (typeof first !== 'string') {
    throw new ValidationError(invalid);
  }
  return first.trim() || undefined;
}
