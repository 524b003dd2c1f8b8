/** JSON.stringify writes a lone surrogate as a `\udXXX` escape (a pair it writes as is). */
const ESCAPED_SURROGATE = /\\ud[89a-f]/i;

/**
 * A value as JSON text PostgreSQL accepts as jsonb: every string in it, object keys included, made
 * well-formed UTF-16 (a lone surrogate becomes U+FFFD). jsonb refuses the `\ud83d` escape that
 * JSON.stringify writes for a lone surrogate (SQLSTATE 22P02), and model text, tool outputs or a
 * stream chunk cut mid-pair can carry one. Values without such an escape are stringified once.
 * Use it wherever JSON is sent as a `::jsonb` parameter.
 */
export function jsonbText(value: unknown): string {
  const text = JSON.stringify(value);
  return ESCAPED_SURROGATE.test(text) ? JSON.stringify(value, wellFormed) : text;
}

/** A JSON.stringify replacer: strings well-formed, and an object with an ill-formed key rebuilt. */
function wellFormed(_key: string, value: unknown): unknown {
  if (typeof value === 'string') {
    return value.toWellFormed();
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).every((key) => key.isWellFormed())) {
    return value;
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key.toWellFormed(), item]));
}
