import { randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'sk_';
/** Longest string ever looked up as a key; anything longer is refused without a query. */
export const MAX_API_KEY_LENGTH = 256;

/** A new key: `sk_` + 64 lower-case hex characters (256 random bits). */
export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('hex')}`;
}

/** The first characters of a key, kept so people can tell their keys apart. */
export function apiKeyPrefix(key: string): string {
  return key.slice(0, 8);
}

const SHAPE = new RegExp(`^${API_KEY_PREFIX}[A-Za-z0-9_-]{1,${MAX_API_KEY_LENGTH - API_KEY_PREFIX.length}}$`);

/** Shape check before any look-up: `sk_`, then letters, digits, `_` or `-`, bounded. */
export function looksLikeApiKey(key: string): boolean {
  return SHAPE.test(key);
}
