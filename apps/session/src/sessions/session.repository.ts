import { Injectable } from '@nestjs/common';
import type { CallerIdentity } from '@shannon/auth';
import { isUniqueViolation } from '@shannon/db';
import { Prisma, type Session } from '../generated/prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import { SESSION_ROW } from '../prisma/row-columns';

export type SessionRow = Session;

/** Totals over a session's turns. */
export interface SessionStatsRow {
  taskCount: number;
  tokensUsed: number;
  totalCostUsd: number;
  successfulTasks: number;
  failedTasks: number;
  latestTaskQuery: string;
  latestTaskStatus: string;
}

export const EMPTY_STATS: SessionStatsRow = {
  taskCount: 0,
  tokensUsed: 0,
  totalCostUsd: 0,
  successfulTasks: 0,
  failedTasks: 0,
  latestTaskQuery: '',
  latestTaskStatus: '',
};

@Injectable()
export class SessionRepository {
  constructor(private readonly prisma: PrismaService) {}

  // findById, findByExternalId and touch are on every named turn's path, so raw statements (see columnList).
  async findById(id: string): Promise<SessionRow | null> {
    const [row] = await this.prisma.$queryRaw<SessionRow[]>`SELECT ${SESSION_ROW} FROM session.sessions WHERE id = ${id}::uuid`;
    return row ?? null;
  }

  async findByExternalId(tenantId: string, externalId: string): Promise<SessionRow | null> {
    const [row] = await this.prisma.$queryRaw<SessionRow[]>`
      SELECT ${SESSION_ROW} FROM session.sessions WHERE tenant_id = ${tenantId}::uuid AND external_id = ${externalId}`;
    return row ?? null;
  }

  /** Creates the session; resolves null when a concurrent request created the same one first. */
  async create(owner: CallerIdentity, id: string, externalId: string | null): Promise<SessionRow | null> {
    try {
      return await this.prisma.session.create({ data: { id, tenantId: owner.tenantId, userId: owner.userId, externalId } });
    } catch (error) {
      if (isUniqueViolation(error)) {
        return null;
      }
      throw error;
    }
  }

  async touch(id: string, at: Date): Promise<SessionRow> {
    const [row] = await this.prisma.$queryRaw<SessionRow[]>`
      UPDATE session.sessions SET last_activity_at = ${at}, updated_at = now() WHERE id = ${id}::uuid RETURNING ${SESSION_ROW}`;
    if (!row) {
      throw new Error(`Session ${id} vanished while it was touched`);
    }
    return row;
  }

  /** A tenant's live sessions (not deleted, active since `activeSince`), newest activity first. */
  async list(tenantId: string, activeSince: Date, limit: number, offset: number): Promise<{ rows: SessionRow[]; total: number }> {
    const where: Prisma.SessionWhereInput = { tenantId, deletedAt: null, lastActivityAt: { gt: activeSince } };
    const [rows, total] = await Promise.all([
      this.prisma.session.findMany({ where, orderBy: [{ lastActivityAt: 'desc' }, { id: 'desc' }], skip: offset, take: limit }),
      this.prisma.session.count({ where }),
    ]);
    return { rows, total };
  }

  /** Turn totals of each given session (sessions without turns are absent from the map). */
  async stats(sessionIds: string[]): Promise<Map<string, SessionStatsRow>> {
    if (sessionIds.length === 0) {
      return new Map();
    }
    const [totals, latest] = await Promise.all([
      this.prisma.$queryRaw<{ session_id: string; task_count: number; tokens_used: number; total_cost_usd: number; successful: number; failed: number }[]>`
        SELECT session_id::text AS session_id,
               count(*)::int AS task_count,
               COALESCE(sum(input_tokens + output_tokens), 0)::int AS tokens_used,
               COALESCE(sum(cost_usd), 0)::float8 AS total_cost_usd,
               (count(*) FILTER (WHERE status = 'COMPLETED'))::int AS successful,
               (count(*) FILTER (WHERE status IN ('FAILED', 'TIMEOUT')))::int AS failed
        FROM session.turns WHERE session_id = ANY(${sessionIds}::uuid[]) GROUP BY session_id`,
      this.prisma.$queryRaw<{ session_id: string; query: string; status: string }[]>`
        SELECT DISTINCT ON (session_id) session_id::text AS session_id, query, status
        FROM session.turns WHERE session_id = ANY(${sessionIds}::uuid[]) ORDER BY session_id, seq DESC`,
    ]);
    const latestBySession = new Map(latest.map((row) => [row.session_id, row]));
    return new Map(
      totals.map((row) => [
        row.session_id,
        {
          taskCount: row.task_count,
          tokensUsed: row.tokens_used,
          totalCostUsd: row.total_cost_usd,
          successfulTasks: row.successful,
          failedTasks: row.failed,
          latestTaskQuery: latestBySession.get(row.session_id)?.query ?? '',
          latestTaskStatus: latestBySession.get(row.session_id)?.status ?? '',
        },
      ]),
    );
  }

  updateTitle(id: string, title: string): Promise<SessionRow> {
    return this.prisma.session.update({ where: { id }, data: { title } });
  }

  /** The newest deleted session that had this client id. */
  findDeletedByExternalId(tenantId: string, externalId: string): Promise<SessionRow | null> {
    return this.prisma.session.findFirst({ where: { tenantId, deletedExternalId: externalId }, orderBy: { deletedAt: 'desc' } });
  }

  /**
   * Marks the session deleted once (a repeat leaves the first deletion as it was). Its client id is
   * set free, so the id can name a new session, and kept as `deleted_external_id`.
   */
  async softDelete(id: string, by: string, at: Date): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE session.sessions
      SET deleted_at = ${at}, deleted_by = ${by}::uuid, deleted_external_id = external_id, external_id = NULL, updated_at = ${at}
      WHERE id = ${id}::uuid AND deleted_at IS NULL`;
  }

  /** Removes one session that expired (and its turns), so its id can name a fresh session. */
  async purgeExpired(id: string, activeSince: Date): Promise<void> {
    await this.prisma.session.deleteMany({ where: { id, lastActivityAt: { lte: activeSince } } });
  }

  /**
   * Removes up to `limit` sessions idle since before `activeSince`, with their turns, in one short
   * statement; rows another transaction holds are skipped (the next sweep gets them).
   */
  deleteExpired(activeSince: Date, limit: number): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM session.sessions WHERE id IN (
        SELECT id FROM session.sessions WHERE last_activity_at <= ${activeSince}
        ORDER BY last_activity_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
  }
}
