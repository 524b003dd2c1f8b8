import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '@shannon/db';
import { AppError, ErrorCode } from '@shannon/errors';
import { Prisma, type Session, type Turn } from '../generated/prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import { TURN_ROW } from '../prisma/row-columns';
import type { NewSessionId } from '../sessions/session-id';
import type { FinalTurnStatus } from './turn-status';

export type TurnRow = Turn;

export interface NewTurn {
  taskId: string;
  sessionId: string;
  tenantId: string;
  userId: string;
  query: string;
  mode: string | null;
}

export interface TurnOutcome {
  status: FinalTurnStatus;
  mode: string;
  result: string | null;
  error: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  startedAt: Date | null;
  completedAt: Date;
}

export interface ConversationRow {
  taskId: string;
  query: string;
  result: string;
}

/** Decides, with the session locked, which open turns the new one interrupts (or throws to refuse). */
export type TurnAdmission = (openTaskIds: string[]) => { interrupt: string[] };

const turnExists = (taskId: string) => new AppError(ErrorCode.Conflict, `A turn for task ${taskId} already exists`);

const OPEN = Prisma.sql`status IN ('QUEUED', 'RUNNING') AND interrupted_by IS NULL`;

/**
 * Locks the session a task's turn belongs to; resolves its id (undefined when there is no such
 * turn). Every transaction that changes turns locks their session row first (as `reserve` does),
 * so two of them never wait on each other's rows in opposite order.
 */
async function lockSessionOf(tx: Prisma.TransactionClient, taskId: string): Promise<string | undefined> {
  const [row] = await tx.$queryRaw<{ id: string }[]>`
    SELECT s.id FROM session.sessions s JOIN session.turns t ON t.session_id = s.id WHERE t.task_id = ${taskId} FOR UPDATE OF s`;
  return row?.id;
}

@Injectable()
export class TurnRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Creates a session with its first turn in one statement, unless a session with that id or
   * client id exists (then null, and nothing is written): a session nobody could use before needs
   * neither its lock nor a look at its open turns (there are none, and this is seq 1). Every column
   * is written here, so the rows returned are the rows stored.
   */
  async startSession(ids: NewSessionId, turn: Omit<NewTurn, 'sessionId'>, at: Date, title: string): Promise<{ session: Session; turn: TurnRow } | null> {
    const session: Session = {
      id: ids.id,
      tenantId: turn.tenantId,
      userId: turn.userId,
      externalId: ids.externalId,
      title,
      createdAt: at,
      updatedAt: at,
      lastActivityAt: at,
      deletedAt: null,
      deletedBy: null,
      deletedExternalId: null,
    };
    const first: TurnRow = {
      ...turn,
      sessionId: ids.id,
      seq: 1,
      status: 'QUEUED',
      result: null,
      error: null,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: new Prisma.Decimal(0),
      interruptedBy: null,
      createdAt: at,
      startedAt: null,
      completedAt: null,
    };
    let inserted: number;
    try {
      // ON CONFLICT DO NOTHING: an existing session (its UUID, or the tenant's client id) makes the
      // session insert a no-op and the turn insert, reading its id, inserts nothing.
      inserted = await this.prisma.pg.execute(Prisma.sql`
        WITH created AS (
          INSERT INTO session.sessions (id, tenant_id, user_id, external_id, title, created_at, updated_at, last_activity_at)
          VALUES (${ids.id}::uuid, ${turn.tenantId}::uuid, ${turn.userId}::uuid, ${ids.externalId}::text, ${title}::text, ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz)
          ON CONFLICT DO NOTHING
          RETURNING id)
        INSERT INTO session.turns (task_id, session_id, tenant_id, user_id, seq, query, mode, status, input_tokens, output_tokens, cost_usd, created_at)
        SELECT ${turn.taskId}::text, id, ${turn.tenantId}::uuid, ${turn.userId}::uuid, 1, ${turn.query}::text, ${turn.mode}::text, 'QUEUED', 0, 0, 0, ${at}::timestamptz FROM created`);
    } catch (error) {
      throw isUniqueViolation(error) ? turnExists(turn.taskId) : error;
    }
    return inserted === 1 ? { session, turn: first } : null;
  }

  /**
   * Appends a turn to a session under a row lock on the session, so turns begun at the same time
   * get distinct, ordered seq numbers and `admit` sees every turn that is still open. Resolves null
   * when the session was deleted meanwhile, or removed with the abandoned first turn it began with.
   */
  async reserve(turn: NewTurn, admit: TurnAdmission, at: Date, title: string): Promise<{ turn: TurnRow; interrupted: string[] } | null> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const locked = await tx.$queryRaw<{ deleted: boolean }[]>`
          SELECT deleted_at IS NOT NULL AS deleted FROM session.sessions WHERE id = ${turn.sessionId}::uuid FOR UPDATE`;
        if (locked.length === 0 || locked[0].deleted) {
          return null;
        }
        const open = await tx.$queryRaw<{ task_id: string }[]>`
          SELECT task_id FROM session.turns WHERE session_id = ${turn.sessionId}::uuid AND ${OPEN} ORDER BY seq`;
        const { interrupt } = admit(open.map((row) => row.task_id));
        if (interrupt.length > 0) {
          await tx.$executeRaw`UPDATE session.turns SET interrupted_by = ${turn.taskId} WHERE task_id = ANY(${interrupt})`;
        }
        // The next seq, the turn and the session's activity in one raw statement (the session row is locked above).
        const [created] = await tx.$queryRaw<TurnRow[]>`
          WITH activity AS (
            UPDATE session.sessions SET last_activity_at = ${at}, updated_at = ${at}, title = COALESCE(title, ${title})
            WHERE id = ${turn.sessionId}::uuid
          )
          INSERT INTO session.turns (task_id, session_id, tenant_id, user_id, seq, query, mode, status, created_at)
          SELECT ${turn.taskId}, ${turn.sessionId}::uuid, ${turn.tenantId}::uuid, ${turn.userId}::uuid, coalesce(max(seq), 0) + 1, ${turn.query}, ${turn.mode}, 'QUEUED', ${at}
          FROM session.turns WHERE session_id = ${turn.sessionId}::uuid
          RETURNING ${TURN_ROW}`;
        return { turn: created, interrupted: interrupt };
      });
    } catch (error) {
      throw isUniqueViolation(error) ? turnExists(turn.taskId) : error;
    }
  }

  /**
   * Removes a reserved turn that never started and gives back the turns it had interrupted. A
   * session left without any turn was started by this one (sessions begin with their first turn)
   * and never had a task: it goes too, so a submit the task service refused leaves no empty session.
   */
  async abandon(tenantId: string, taskId: string): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const sessionId = await lockSessionOf(tx, taskId);
      const { count } = await tx.turn.deleteMany({ where: { taskId, tenantId, status: 'QUEUED', startedAt: null } });
      if (count > 0) {
        await tx.turn.updateMany({ where: { interruptedBy: taskId }, data: { interruptedBy: null } });
        await tx.$executeRaw`
          DELETE FROM session.sessions s
          WHERE s.id = ${sessionId}::uuid AND s.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM session.turns t WHERE t.session_id = s.id)`;
      }
      return count > 0;
    });
  }

  /** Raw, as are completedBefore and countOpenBefore: a worker's history call reads them for every later turn. */
  async findByTaskId(taskId: string): Promise<TurnRow | null> {
    const [row] = await this.prisma.$queryRaw<TurnRow[]>`SELECT ${TURN_ROW} FROM session.turns WHERE task_id = ${taskId}`;
    return row ?? null;
  }

  async page(sessionId: string, limit: number, offset: number): Promise<{ rows: TurnRow[]; total: number }> {
    const [rows, total] = await Promise.all([
      this.prisma.turn.findMany({ where: { sessionId }, orderBy: { seq: 'asc' }, skip: offset, take: limit }),
      this.prisma.turn.count({ where: { sessionId } }),
    ]);
    return { rows, total };
  }

  /** The newest `limit` completed, uninterrupted turns before `beforeSeq` (all, when null), oldest first. */
  async completedBefore(sessionId: string, beforeSeq: number | null, limit: number): Promise<ConversationRow[]> {
    if (limit === 0) {
      return [];
    }
    const rows = await this.prisma.$queryRaw<ConversationRow[]>`
      SELECT task_id AS "taskId", query, coalesce(result, '') AS result FROM session.turns
      WHERE session_id = ${sessionId}::uuid AND status = 'COMPLETED' AND interrupted_by IS NULL AND (${beforeSeq}::integer IS NULL OR seq < ${beforeSeq}::integer)
      ORDER BY seq DESC LIMIT ${limit}`;
    return rows.reverse();
  }

  /** Turns before `beforeSeq` still queued or running (and not interrupted). */
  async countOpenBefore(sessionId: string, beforeSeq: number): Promise<number> {
    const [row] = await this.prisma.$queryRaw<{ open: number }[]>`
      SELECT count(*)::integer AS open FROM session.turns
      WHERE session_id = ${sessionId}::uuid AND seq < ${beforeSeq} AND ${OPEN}`;
    return row.open;
  }

  async markStarted(taskId: string, at: Date): Promise<void> {
    await this.prisma.pg.execute(Prisma.sql`UPDATE session.turns SET status = 'RUNNING', started_at = ${at}::timestamptz WHERE task_id = ${taskId}::text AND status = 'QUEUED'`);
  }

  /**
   * Records the task's outcome once, and counts it as activity of the session: one statement (one
   * round trip) that still locks the session row before the turn's, as every other change of turns
   * does. The turn's update reads the locked session's id (`locked`, a CTE that takes its lock when
   * first read), so the lock is held before any turn row is.
   */
  async finish(taskId: string, outcome: TurnOutcome): Promise<boolean> {
    const finished = await this.prisma.pg.execute(Prisma.sql`
      WITH locked AS (
        SELECT s.id FROM session.sessions s JOIN session.turns t ON t.session_id = s.id WHERE t.task_id = ${taskId}::text FOR UPDATE OF s
      ), turn AS (
        UPDATE session.turns SET
          status = ${outcome.status}::text, mode = ${outcome.mode}::text, result = ${outcome.result}::text, error = ${outcome.error}::text,
          input_tokens = ${outcome.inputTokens}::integer, output_tokens = ${outcome.outputTokens}::integer, cost_usd = ${outcome.costUsd}::numeric,
          started_at = coalesce(started_at, ${outcome.startedAt}::timestamptz), completed_at = ${outcome.completedAt}::timestamptz
        WHERE task_id = ${taskId}::text AND status IN ('QUEUED', 'RUNNING') AND session_id = (SELECT id FROM locked)
        RETURNING session_id
      )
      UPDATE session.sessions s SET last_activity_at = GREATEST(s.last_activity_at, ${outcome.completedAt}::timestamptz), updated_at = now()
      FROM turn WHERE s.id = turn.session_id
      RETURNING s.id`);
    return finished === 1;
  }

  /** Reserved turns that still show no sign of their task since `before`. */
  staleReservations(before: Date, limit: number): Promise<TurnRow[]> {
    return this.prisma.turn.findMany({ where: { status: 'QUEUED', startedAt: null, createdAt: { lt: before } }, orderBy: { createdAt: 'asc' }, take: limit });
  }
}
