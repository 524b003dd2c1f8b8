import { Code, ConnectError } from '@connectrpc/connect';
import { Injectable, Logger } from '@nestjs/common';
import { identityHeaders, type Principal } from '@shannon/auth';
import { newTaskId, type Task, TurnConcurrency } from '@shannon/contracts';
import { InternalClients } from '../clients/internal-clients';
import { TaskInterruptHook } from './task-interrupt.hook';

export interface TurnRequest {
  session_id?: string;
  query: string;
  mode?: string;
  session_concurrency?: string;
}

/** Where the task of a turn is created: the session's UUID, the id reserved for the task and its turn (1-based). */
export interface TurnSlot {
  sessionId: string;
  taskId: string;
  turn: number;
}

function concurrency(policy: string | undefined): TurnConcurrency {
  switch (policy) {
    case 'reject':
      return TurnConcurrency.REJECT;
    case 'interrupt':
      return TurnConcurrency.INTERRUPT;
    default:
      return TurnConcurrency.ENQUEUE;
  }
}

/**
 * A submit as one turn of a session: the session service resolves (or creates) the session and
 * reserves the next turn under a task id named here, applying the concurrency policy; then the
 * task is created with that id. A submit that fails gives the reservation back.
 */
@Injectable()
export class SessionTurns {
  private readonly logger = new Logger(SessionTurns.name);

  constructor(
    private readonly clients: InternalClients,
    private readonly interrupts: TaskInterruptHook,
  ) {}

  async submit(principal: Principal, request: TurnRequest, createTask: (slot: TurnSlot) => Promise<Task>): Promise<Task> {
    const headers = identityHeaders(principal);
    const taskId = newTaskId();
    const begun = await this.clients.session.beginTurn(
      { sessionId: request.session_id ?? '', taskId, query: request.query, mode: request.mode ?? '', concurrency: concurrency(request.session_concurrency) },
      { headers },
    );
    let task: Task;
    try {
      task = await createTask({ sessionId: begun.session?.id ?? '', taskId, turn: begun.turn?.seq ?? 0 });
    } catch (error) {
      await this.abandon(principal, taskId);
      throw error;
    }
    if (task.taskId !== taskId) {
      // The task service answered with another task (a repeated request): the reservation is unused.
      await this.abandon(principal, taskId);
    }
    if (begun.interruptedTaskIds.length > 0) {
      await this.interrupts.interrupt(principal, begun.interruptedTaskIds);
    }
    return task;
  }

  /** The UUID of the caller's live session named by its UUID or client id; undefined when there is none. */
  async sessionUuid(principal: Principal, sessionId: string): Promise<string | undefined> {
    try {
      const { session } = await this.clients.session.getSession({ sessionId }, { headers: identityHeaders(principal) });
      return session?.id;
    } catch (error) {
      if (error instanceof ConnectError && error.code === Code.NotFound) {
        return undefined;
      }
      throw error;
    }
  }

  private async abandon(principal: Principal, taskId: string): Promise<void> {
    try {
      await this.clients.session.abandonTurn({ taskId }, { headers: identityHeaders(principal) });
    } catch (error) {
      // The session sweeper drops reservations whose task never appeared.
      this.logger.warn(`Could not give back the turn reserved for ${taskId}: ${(error as Error).message}`);
    }
  }
}
