import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { identityHeaders, type Principal } from '@shannon/auth';
import {
  CLIENT_ID_REGEX,
  type ListSessionsQuery,
  type Session,
  type SessionEventsQuery,
  type SessionEventsResponse,
  type SessionHistoryQuery,
  type SessionHistoryResponse,
  type SessionListResponse,
  type SessionResponse,
  type SessionTitleResponse,
  type TaskEvent,
  type UpdateSessionTitleDto,
} from '@shannon/contracts';
import { ErrorCode, NotFoundError, ValidationError } from '@shannon/errors';
import { InternalClients } from '../clients/internal-clients';
import { SessionPresenter } from './session.presenter';
import { turnsToCatchUp } from './turn-catch-up';

/** Shannon refuses a session events page holding more events than this (reference section 8.4). */
export const MAX_SESSION_EVENTS = 5000;

function assertSessionId(sessionId: string): void {
  if (!CLIENT_ID_REGEX.test(sessionId)) {
    throw new ValidationError('Invalid session_id format');
  }
}

function present(session: Session | undefined): Session {
  if (!session) {
    throw new NotFoundError(ErrorCode.SessionNotFound, 'Session not found');
  }
  return session;
}

/** The REST side of sessions: checks the path id, calls the session (and streaming) service, shapes the answer. */
@Injectable()
export class SessionGatewayService {
  constructor(private readonly clients: InternalClients) {}

  async list(principal: Principal, query: ListSessionsQuery): Promise<SessionListResponse> {
    const { sessions, totalCount } = await this.clients.session.listSessions(
      { limit: query.limit ?? 20, offset: query.offset ?? 0 },
      { headers: identityHeaders(principal) },
    );
    const now = new Date();
    return { sessions: sessions.map((session) => SessionPresenter.summary(session, now)), total_count: totalCount };
  }

  async get(principal: Principal, sessionId: string): Promise<SessionResponse> {
    assertSessionId(sessionId);
    const { session } = await this.clients.session.getSession({ sessionId }, { headers: identityHeaders(principal) });
    return SessionPresenter.detail(present(session));
  }

  async history(principal: Principal, sessionId: string, query: SessionHistoryQuery): Promise<SessionHistoryResponse> {
    assertSessionId(sessionId);
    const { turns, totalCount } = await this.clients.session.listTurns(
      { sessionId, limit: query.limit ?? 1000, offset: query.offset ?? 0 },
      { headers: identityHeaders(principal) },
    );
    return { session_id: sessionId, tasks: turns.map(SessionPresenter.historyItem), total: totalCount };
  }

  /**
   * The session's turns (a page of them), each with its task's persisted events; those of running
   * and just-finished turns hold every lasting event published before the read (ADR 0050).
   */
  async events(principal: Principal, sessionId: string, query: SessionEventsQuery): Promise<SessionEventsResponse> {
    assertSessionId(sessionId);
    const headers = identityHeaders(principal);
    const includePayload = query.include_payload === 'true' || query.include_payload === '1';
    const { turns, totalCount } = await this.clients.session.listTurns({ sessionId, limit: query.limit ?? 10, offset: query.offset ?? 0 }, { headers });
    const byTask = new Map<string, TaskEvent[]>(turns.map((turn) => [turn.taskId, []]));
    if (turns.length > 0) {
      const { events, totalCount: eventCount } = await this.clients.streaming.listEventsForTasks(
        { taskIds: [...byTask.keys()], maxEvents: MAX_SESSION_EVENTS, includePayload, catchUp: turnsToCatchUp(turns, new Date()) },
        { headers },
      );
      if (eventCount > MAX_SESSION_EVENTS) {
        throw new HttpException({ error: 'Session has too many events. Please use pagination with smaller turn limits.' }, HttpStatus.PAYLOAD_TOO_LARGE);
      }
      events.forEach((event) => byTask.get(event.workflowId)?.push(event));
    }
    return {
      session_id: sessionId,
      turns: turns.map((turn) => SessionPresenter.turn(turn, byTask.get(turn.taskId) ?? [], includePayload)),
      count: totalCount,
    };
  }

  async updateTitle(principal: Principal, sessionId: string, body: UpdateSessionTitleDto): Promise<SessionTitleResponse> {
    assertSessionId(sessionId);
    const { session } = await this.clients.session.updateSessionTitle({ sessionId, title: body.title }, { headers: identityHeaders(principal) });
    return { session_id: sessionId, title: present(session).title };
  }

  async delete(principal: Principal, sessionId: string): Promise<void> {
    assertSessionId(sessionId);
    await this.clients.session.deleteSession({ sessionId }, { headers: identityHeaders(principal) });
  }
}
