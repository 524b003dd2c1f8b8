import type { CallerIdentity } from '@shannon/auth';
import { ValidationError } from '@shannon/errors';
import { createHash } from 'node:crypto';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENCY_CACHED_HEADER = 'X-Idempotency-Cached';
const KEY = /^[\x21-\x7e]{1,255}$/;

/** The request's Idempotency-Key (undefined when absent); a malformed one is a 400. */
export function readIdempotencyKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const raw = headers[IDEMPOTENCY_KEY_HEADER];
  if (raw === undefined) {
    return undefined;
  }
  const key = (Array.isArray(raw) ? raw[0] : raw).trim();
  if (!KEY.test(key)) {
    throw new ValidationError('Invalid Idempotency-Key (1 to 255 printable ASCII characters)');
  }
  return key;
}

/** JSON with object keys sorted, so the same body sent with other spacing or key order hashes alike. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What "the same request" means for an Idempotency-Key: method, path and body. */
export function requestHash(method: string, url: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${url}\n${canonicalJson(body ?? null)}`).digest('hex');
}

/** A key's identity inside the caller's scope (the key itself is never stored in clear). */
export function idempotencyScope(caller: CallerIdentity, key: string): string {
  return `${caller.tenantId}:${caller.userId}:${createHash('sha256').update(key).digest('hex')}`;
}

/**
 * The session of an idempotent submit that names none: derived from the caller and the key, so
 * concurrent repeats resolve the same new session instead of creating one each.
 */
export function idempotentSessionId(caller: CallerIdentity, key: string): string {
  const bytes = createHash('sha256').update(`session:${caller.tenantId}:${caller.userId}:${key}`).digest();
  bytes[6] = (bytes[6] & 0x0f) | 0x80; // version 8 (custom, RFC 9562)
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
