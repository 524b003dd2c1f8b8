import { Code, ConnectError } from '@connectrpc/connect';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { identityHeaders } from '@shannon/auth';
import { SessionService } from '@shannon/contracts';
import { createGrpcClient, type GrpcClient } from '@shannon/grpc';
import { TASK_CONFIG, type TaskConfig } from '../config';
import type { ChatMessage } from '../llm';
import type { TaskRow } from '../tasks/task.repository';
import { conversationWindow } from './conversation-window';

export const SESSION_CLIENT = Symbol('SESSION_CLIENT');
export type SessionClient = Pick<GrpcClient<typeof SessionService>, 'getConversation'>;

export function createSessionClient(config: Pick<TaskConfig, 'SESSION_GRPC_URL'>): SessionClient {
  return createGrpcClient(SessionService, config.SESSION_GRPC_URL);
}

export interface HistoryOptions {
  /** Called while waiting, so the work item is not redelivered meanwhile. */
  heartbeat?: () => void;
  /** Ends the wait at once (the worker shuts down): `before` rejects with an AbortError. */
  signal?: AbortSignal;
}

const FIRST_POLL_MS = 50;
/** Answers that retrying cannot change; anything else (the service restarting, unreachable) is retried. */
const CALLER_ERRORS: ReadonlySet<Code> = new Set([Code.InvalidArgument, Code.Unauthenticated, Code.PermissionDenied, Code.FailedPrecondition, Code.Unimplemented]);
const MAX_POLL_MS = 1_000;

/**
 * The earlier turns of a task's session, as chat messages: fetched from the session service over
 * gRPC and cut to the configured window (`SESSION_HISTORY_MAX_TURNS`, `SESSION_HISTORY_MAX_TOKENS`).
 *
 * Turns never interleave: while an earlier turn of the session is still queued or running, this
 * waits for it to end (at most `SESSION_TURN_WAIT_MS`, after which the task runs with the turns
 * that have ended). A session that is gone (deleted, expired) gives no history.
 */
@Injectable()
export class ConversationHistory {
  private readonly logger = new Logger(ConversationHistory.name);

  constructor(
    @Inject(SESSION_CLIENT) private readonly sessions: SessionClient,
    @Inject(TASK_CONFIG) private readonly config: Pick<TaskConfig, 'SESSION_HISTORY_MAX_TURNS' | 'SESSION_HISTORY_MAX_TOKENS' | 'SESSION_TURN_WAIT_MS'>,
  ) {}

  async before(task: Pick<TaskRow, 'id' | 'tenantId' | 'userId' | 'sessionId'>, options: HistoryOptions = {}): Promise<ChatMessage[]> {
    if (this.config.SESSION_HISTORY_MAX_TURNS === 0) {
      return [];
    }
    const deadline = Date.now() + this.config.SESSION_TURN_WAIT_MS;
    let pause = FIRST_POLL_MS;
    for (;;) {
      const conversation = await this.fetch(task, Date.now() < deadline);
      if (conversation === 'gone') {
        return [];
      }
      if (conversation !== 'retry' && (conversation.pendingTurns === 0 || Date.now() >= deadline)) {
        if (conversation.pendingTurns > 0) {
          this.logger.warn(`Task ${task.id} waited ${this.config.SESSION_TURN_WAIT_MS} ms for ${conversation.pendingTurns} earlier turn(s) of its session; running without them`);
        }
        const exchanges = conversation.turns.map((turn) => ({ query: turn.query, answer: turn.answer }));
        return conversationWindow(exchanges, { maxTurns: this.config.SESSION_HISTORY_MAX_TURNS, maxTokens: this.config.SESSION_HISTORY_MAX_TOKENS });
      }
      options.heartbeat?.();
      await sleep(Math.min(pause, Math.max(0, deadline - Date.now())), undefined, { signal: options.signal });
      pause = Math.min(MAX_POLL_MS, pause * 2);
    }
  }

  /** The session's answer; 'gone' for a deleted or expired session; 'retry' while it is unreachable and time is left. */
  private async fetch(task: Pick<TaskRow, 'id' | 'tenantId' | 'userId' | 'sessionId'>, mayRetry: boolean) {
    try {
      return await this.sessions.getConversation(
        { sessionId: task.sessionId, taskId: task.id, maxTurns: this.config.SESSION_HISTORY_MAX_TURNS },
        { headers: identityHeaders({ tenantId: task.tenantId, userId: task.userId }), timeoutMs: 10_000 },
      );
    } catch (error) {
      if (error instanceof ConnectError && error.code === Code.NotFound) {
        this.logger.log(`Session of task ${task.id} is gone; running without history`);
        return 'gone' as const;
      }
      if (mayRetry && !(error instanceof ConnectError && CALLER_ERRORS.has(error.code))) {
        this.logger.warn(`Session service unreachable for task ${task.id}, retrying: ${(error as Error).message}`);
        return 'retry' as const;
      }
      throw error;
    }
  }
}
