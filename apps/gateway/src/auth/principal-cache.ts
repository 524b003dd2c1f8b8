import type { Principal } from '@shannon/auth';
import { createHash } from 'node:crypto';

/**
 * Successful credential checks, kept briefly so most requests need no call to the auth service.
 * Credentials are stored hashed; the cache is bounded and evicts its oldest entries first. An
 * entry lives `ttlMs`, or less when the credential itself expires sooner (access tokens).
 */
export class PrincipalCache {
  private readonly entries = new Map<string, { principal: Principal; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(credential: string): Principal | undefined {
    const key = this.key(credential);
    const entry = this.entries.get(key);
    if (!entry) {
      return undefined;
    }
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.principal;
  }

  set(credential: string, principal: Principal, credentialExpiresAt = Number.POSITIVE_INFINITY): void {
    const expiresAt = Math.min(this.now() + this.ttlMs, credentialExpiresAt);
    if (this.ttlMs === 0 || expiresAt <= this.now()) {
      return;
    }
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) {
        this.entries.delete(oldest);
      }
    }
    this.entries.set(this.key(credential), { principal, expiresAt });
  }

  /** Forgets every credential of one API key (after it was revoked through this replica). */
  evictApiKey(apiKeyId: string): void {
    for (const [key, entry] of this.entries) {
      if (entry.principal.apiKeyId === apiKeyId) {
        this.entries.delete(key);
      }
    }
  }

  private key(credential: string): string {
    return createHash('sha256').update(credential).digest('hex');
  }
}
