import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { CallerIdentity } from '@shannon/auth';
import { type BeginTurnRequest, isTaskId, TurnConcurrency } from '@shannon/contracts';
import { AppError, ErrorCode, NotFoundError, ValidationError } from '@shannon/errors';
import { SessionRetention } from '../retention/session-retention';
import { titleFromQuery } from '../sessions/session-title';
import type { SessionRow } from '../sessions/session.repository';
import { newSessionId } from '../sessions/session-id';
import { assertSessionId, SESSION_NOT_FOUND, SessionService } from '../sessions/session.service';
import { type ConversationRow, type TurnAdmission, type TurnOutcome, TurnRepository, type TurnRow } from './turn.repository';

export const MAX_TURN_PAGE = 1000;
export const MAX_CONVERSATION_TURNS = 100;

export interface BegunTurn {
  session: SessionRow;
  created: boolean;
  turn: TurnRow;
  interrupted: string[];
}

export interface Conversation {
  turns: ConversationRow[];
  pending: number;
}

/** Decides what a new turn does to the session's open ones (the concurrency policy). */
export function admissionFor(concurrency: TurnConcurrency): TurnAdmission {
  switch (concurrency) {
    case TurnConcurrency.REJECT:
      return (open) => {
        if (open.length > 0) {
          throw new AppError(
            ErrorCode.Conflict,
            `Session already has a task in progress (${open[open.length - 1]}); wait for it to finish, or submit with session_concurrency "enqueue" or "interrupt"`,
          );
        }
        return { interrupt: [] };
      };
    case TurnConcurrency.INTERRUPT:
      return (open) => ({ interrupt: open });
    case TurnConcurrency.ENQUEUE:
    case TurnConcurrency.UNSPECIFIED:
      return () => ({ interrupt: [] });
    default:
      throw new ValidationError('Invalid session_concurrency');
  }
}

/**
 * The turns of a session: one per task, reserved before the task exists so their order is fixed
 * at submit time, completed from the task's terminal event. Each task's model sees the completed
 * turns before its own.
 */
@Injectable()
export class TurnService {
  constructor(
    private readonly sessions: SessionService,
    private readonly turns: TurnRepository,
    private readonly retention: SessionRetention,
  ) {}

  begin(caller: CallerIdentity, request: BeginTurnRequest): Promise<BegunTurn> {
    return this.beginTurn(caller, request, true);
  }

  /**
   * `mayStartAgain`: the session resolved below can vanish before its row is locked (removed with
   * the abandoned first turn of a submit the task service refused, or deleted by its owner); the
   * turn then begins once more from the start, where a client id names a new session, as after any
   * deletion, and a UUID its owner deleted is a 404.
   */
  private async beginTurn(caller: CallerIdentity, request: BeginTurnRequest, mayStartAgain: boolean): Promise<BegunTurn> {
    if (!isTaskId(request.taskId)) {
      throw new ValidationError('Invalid task_id (expected task_<ULID>)');
    }
    if (!request.query.trim()) {
      throw new ValidationError('Query is required');
    }
    const admit = admissionFor(request.concurrency);
    if (request.sessionId) {
      assertSessionId(request.sessionId);
    }
    const at = new Date();
    const title = titleFromQuery(request.query);
    const turn = { taskId: request.taskId, tenantId: caller.tenantId, userId: caller.userId, query: request.query, mode: request.mode || null };
    // A session that does not exist yet starts with this turn in one statement; only an existing
    // one (or an expired or deleted one) takes the locked path below.
    const started = await this.turns.startSession(newSessionId(request.sessionId, randomUUID), turn, at, title);
    if (started) {
      return { ...started, created: true, interrupted: [] };
    }
    if (!request.sessionId) {
      throw new Error('A freshly generated session id collided');
    }
    const { session, created } = await this.sessions.resolve(caller, request.sessionId);
    const reserved = await this.turns.reserve({ ...turn, sessionId: session.id }, admit, at, title);
    if (!reserved) {
      if (mayStartAgain) {
        return this.beginTurn(caller, request, false);
      }
      throw new NotFoundError(ErrorCode.SessionNotFound, SESSION_NOT_FOUND);
    }
    return { session: { ...session, lastActivityAt: at, title: session.title ?? title }, created, ...reserved };
  }

  /** Drops the reservation of a task that was never created; unknown or started turns stay. */
  async abandon(caller: CallerIdentity, taskId: string): Promise<void> {
    await this.turns.abandon(caller.tenantId, taskId);
  }

  async list(caller: CallerIdentity, sessionId: string, limit: number, offset: number): Promise<{ session: SessionRow; turns: TurnRow[]; total: number }> {
    if (limit > MAX_TURN_PAGE) {
      throw new ValidationError('Invalid limit parameter');
    }
    const session = await this.sessions.get(caller, sessionId);
    const { rows, total } = await this.turns.page(session.id, limit || MAX_TURN_PAGE, offset);
    return { session, turns: rows, total };
  }

  /**
   * What the model of `taskId` sees: the newest `maxTurns` completed turns before its own (turns
   * that failed or were interrupted are left out), and how many earlier turns are still open.
   */
  async conversation(caller: CallerIdentity, sessionId: string, taskId: string, maxTurns: number): Promise<Conversation> {
    const session = await this.sessions.get(caller, sessionId);
    const own = taskId ? await this.turns.findByTaskId(taskId) : null;
    const seq = own && own.sessionId === session.id ? own.seq : null;
    // Pending first: once no earlier turn is open, none opens again, so the turns read after the
    // count include every earlier one (read the other way round, a turn ending between the two
    // reads would be neither pending nor in the history).
    const pending = seq === null ? 0 : await this.turns.countOpenBefore(session.id, seq);
    const turns = await this.turns.completedBefore(session.id, seq, Math.min(maxTurns, MAX_CONVERSATION_TURNS));
    return { turns, pending };
  }

  /** The task started: its turn is RUNNING. */
  async recordStart(taskId: string, at: Date): Promise<void> {
    await this.turns.markStarted(taskId, at);
  }

  /** The task ended: its result and usage complete the turn (once) and count as activity. */
  recordOutcome(taskId: string, outcome: TurnOutcome): Promise<boolean> {
    return this.turns.finish(taskId, outcome);
  }

  /** Sessions expire from their last activity; this is when a session would. */
  expiresAt(session: SessionRow): Date {
    return this.retention.expiresAt(session.lastActivityAt);
  }
}
