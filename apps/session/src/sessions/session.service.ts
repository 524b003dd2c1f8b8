import { Injectable } from '@nestjs/common';
import type { CallerIdentity } from '@shannon/auth';
import { CLIENT_ID_REGEX } from '@shannon/contracts';
import { ErrorCode, NotFoundError, ValidationError } from '@shannon/errors';
import { randomUUID } from 'node:crypto';
import { SessionRetention } from '../retention/session-retention';
import { isUuid } from './session-id';
import { normalizeTitle } from './session-title';
import { EMPTY_STATS, SessionRepository, type SessionRow, type SessionStatsRow } from './session.repository';

export const SESSION_NOT_FOUND = 'Session not found';
export const MAX_SESSION_PAGE = 100;

export interface SessionWithStats {
  session: SessionRow;
  stats: SessionStatsRow;
}

const notFound = () => new NotFoundError(ErrorCode.SessionNotFound, SESSION_NOT_FOUND);

/**
 * Sessions of a tenant, named by their UUID or by the client's own id (`external_id`). Deleted and
 * expired sessions are not found by any call, and a new session never takes over another tenant's.
 */
@Injectable()
export class SessionService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly retention: SessionRetention,
  ) {}

  /**
   * The caller's session named by `sessionId`, created on first use; a new UUID session when
   * `sessionId` is empty. An expired session is removed and its id starts a fresh one. A deleted
   * session takes no new tasks: its UUID is not found, and its client id (set free by the delete)
   * names a new, empty session.
   */
  async resolve(caller: CallerIdentity, sessionId: string): Promise<{ session: SessionRow; created: boolean }> {
    if (!sessionId) {
      const session = await this.sessions.create(caller, randomUUID(), null);
      if (!session) {
        throw new Error('A freshly generated session id collided');
      }
      return { session, created: true };
    }
    assertSessionId(sessionId);
    const existing = await this.lookup(caller, sessionId);
    if (existing && this.retention.isExpired(existing.lastActivityAt)) {
      await this.sessions.purgeExpired(existing.id, this.retention.cutoff());
    } else if (existing) {
      if (existing.deletedAt) {
        throw notFound();
      }
      return { session: await this.sessions.touch(existing.id, new Date()), created: false };
    }
    const created = isUuid(sessionId)
      ? await this.sessions.create(caller, sessionId.toLowerCase(), null)
      : await this.sessions.create(caller, randomUUID(), sessionId);
    if (created) {
      return { session: created, created: true };
    }
    // A concurrent request created it first (or the UUID belongs to another tenant).
    return { session: await this.get(caller, sessionId), created: false };
  }

  /** The caller's live session; deleted, expired, foreign or malformed ids are not found. */
  async get(caller: CallerIdentity, sessionId: string): Promise<SessionRow> {
    const session = CLIENT_ID_REGEX.test(sessionId) ? await this.lookup(caller, sessionId) : null;
    if (!session || session.deletedAt || this.retention.isExpired(session.lastActivityAt)) {
      throw notFound();
    }
    return session;
  }

  async getWithStats(caller: CallerIdentity, sessionId: string): Promise<SessionWithStats> {
    const session = await this.get(caller, sessionId);
    const stats = await this.sessions.stats([session.id]);
    return { session, stats: stats.get(session.id) ?? EMPTY_STATS };
  }

  async list(caller: CallerIdentity, limit: number, offset: number): Promise<{ items: SessionWithStats[]; total: number }> {
    if (limit > MAX_SESSION_PAGE) {
      throw new ValidationError('Invalid limit parameter');
    }
    const { rows, total } = await this.sessions.list(caller.tenantId, this.retention.cutoff(), limit || 20, offset);
    const stats = await this.sessions.stats(rows.map((row) => row.id));
    return { items: rows.map((session) => ({ session, stats: stats.get(session.id) ?? EMPTY_STATS })), total };
  }

  async updateTitle(caller: CallerIdentity, sessionId: string, title: string): Promise<SessionRow> {
    const session = await this.get(caller, sessionId);
    return this.sessions.updateTitle(session.id, normalizeTitle(title));
  }

  /** Soft delete. A session deleted before is deleted again without complaint (idempotent). */
  async delete(caller: CallerIdentity, sessionId: string): Promise<void> {
    assertSessionId(sessionId);
    const session =
      (await this.lookup(caller, sessionId)) ?? (isUuid(sessionId) ? null : await this.sessions.findDeletedByExternalId(caller.tenantId, sessionId));
    if (!session || (!session.deletedAt && this.retention.isExpired(session.lastActivityAt))) {
      throw notFound();
    }
    await this.sessions.softDelete(session.id, caller.userId, new Date());
  }

  /** The tenant's row for an id, whatever its state (deleted, expired). */
  private async lookup(caller: CallerIdentity, sessionId: string): Promise<SessionRow | null> {
    const session = isUuid(sessionId)
      ? await this.sessions.findById(sessionId.toLowerCase())
      : await this.sessions.findByExternalId(caller.tenantId, sessionId);
    return session && session.tenantId === caller.tenantId ? session : null;
  }
}

export function assertSessionId(sessionId: string): void {
  if (!CLIENT_ID_REGEX.test(sessionId)) {
    throw new ValidationError('Invalid session_id format');
  }
}
