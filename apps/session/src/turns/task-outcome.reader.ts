import { timestampDate } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError } from '@connectrpc/connect';
import { Inject, Injectable } from '@nestjs/common';
import { type CallerIdentity, identityHeaders } from '@shannon/auth';
import { TaskService, TaskStatus } from '@shannon/contracts';
import { createGrpcClient, type GrpcClient } from '@shannon/grpc';
import { SESSION_CONFIG, type SessionConfig } from '../config';
import type { FinalTurnStatus } from './turn-status';
import type { TurnOutcome } from './turn.repository';

export type TaskOutcomeRead = { kind: 'finished'; outcome: TurnOutcome } | { kind: 'unfinished' } | { kind: 'missing' };

const FINAL_STATUSES: ReadonlySet<string> = new Set<FinalTurnStatus>(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT']);

/** The turn status of a finished task; undefined while it is queued, running or paused. */
function finalStatus(status: TaskStatus): FinalTurnStatus | undefined {
  const name = TaskStatus[status];
  return FINAL_STATUSES.has(name) ? (name as FinalTurnStatus) : undefined;
}

/** Asks the task service (the owner of results, usage and cost) how a task ended. */
@Injectable()
export class TaskOutcomeReader {
  private readonly client: GrpcClient<typeof TaskService>;

  constructor(@Inject(SESSION_CONFIG) config: Pick<SessionConfig, 'TASK_GRPC_URL'>) {
    this.client = createGrpcClient(TaskService, config.TASK_GRPC_URL);
  }

  async read(owner: CallerIdentity, taskId: string): Promise<TaskOutcomeRead> {
    let task;
    try {
      ({ task } = await this.client.getTask({ taskId }, { headers: identityHeaders(owner), timeoutMs: 10_000 }));
    } catch (error) {
      if (error instanceof ConnectError && error.code === Code.NotFound) {
        return { kind: 'missing' };
      }
      throw error;
    }
    const status = task ? finalStatus(task.status) : undefined;
    if (!task || !status) {
      return task ? { kind: 'unfinished' } : { kind: 'missing' };
    }
    return {
      kind: 'finished',
      outcome: {
        status,
        mode: task.mode,
        result: task.result || null,
        error: task.error || null,
        inputTokens: task.usage?.inputTokens ?? 0,
        outputTokens: task.usage?.outputTokens ?? 0,
        costUsd: task.usage?.estimatedCost ?? 0,
        startedAt: task.startedAt ? timestampDate(task.startedAt) : null,
        completedAt: task.completedAt ? timestampDate(task.completedAt) : new Date(),
      },
    };
  }
}
