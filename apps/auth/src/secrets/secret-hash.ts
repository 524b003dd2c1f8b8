import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Secrets (API keys, refresh tokens) are stored only as this hash; a database leak reveals no
 * usable credential. The secrets are 256 random bits, so a fast hash is enough (no salt needed).
 */
export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares two strings in time that depends only on their length, never on where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    // Still do the work, so a length mismatch is not faster than a content mismatch.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
