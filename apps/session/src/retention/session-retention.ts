import { Inject, Injectable } from '@nestjs/common';
import { SESSION_CONFIG, type SessionConfig } from '../config';

/**
 * The retention rule: a session lives `SESSION_TTL_SECONDS` after its last activity. Expired
 * sessions are invisible at once; the sweeper removes their rows later.
 */
@Injectable()
export class SessionRetention {
  private readonly ttlMs: number;

  constructor(@Inject(SESSION_CONFIG) config: Pick<SessionConfig, 'SESSION_TTL_SECONDS'>) {
    this.ttlMs = config.SESSION_TTL_SECONDS * 1000;
  }

  /** Sessions last active at or before this moment have expired. */
  cutoff(now: Date = new Date()): Date {
    return new Date(now.getTime() - this.ttlMs);
  }

  expiresAt(lastActivityAt: Date): Date {
    return new Date(lastActivityAt.getTime() + this.ttlMs);
  }

  isExpired(lastActivityAt: Date, now: Date = new Date()): boolean {
    return lastActivityAt.getTime() <= this.cutoff(now).getTime();
  }
}
