/**
 * JSON.stringify writes a lone surrogate as a `\udXXX` escape (a pair it writes as is) and NUL as
 * `\u0000`: jsonb refuses both escapes (SQLSTATE 22P02, 22P05).
 */
const REFUSED_ESCAPE = /\\u(d[89a-f]|0000)/i;
const REPLACEMENT = '\ufffd';

/**
 * Text PostgreSQL stores: well-formed UTF-16 (a lone surrogate becomes U+FFFD, which pg's UTF-8
 * encoding would do silently anyway) and no NUL (U+FFFD instead: a NUL in text fails the whole
 * statement, SQLSTATE 22021). Model text, tool outputs or a stream chunk cut mid-pair can carry
 * either; the gateway refuses them in requests, but what a run produces must still be stored.
 */
export function storableText(text: string): string {
  const wellFormed = text.toWellFormed();
  return wellFormed.includes('\u0000') ? wellFormed.replaceAll('\u0000', REPLACEMENT) : wellFormed;
}

/**
 * A value as JSON text PostgreSQL accepts as jsonb: every string in it, object keys included, made
 * storable (`storableText`). Values without a refused escape are stringified once. Use it wherever
 * JSON is sent as a `::jsonb` parameter.
 */
export function jsonbText(value: unknown): string {
  const text = JSON.stringify(value);
  return REFUSED_ESCAPE.test(text) ? JSON.stringify(value, storable) : text;
}

/** A JSON.stringify replacer: strings storable, and an object with a key that is not rebuilt. */
function storable(_key: string, value: unknown): unknown {
  if (typeof value === 'string') {
    return storableText(value);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).every((key) => key === storableText(key))) {
    return value;
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [storableText(key), item]));
}
