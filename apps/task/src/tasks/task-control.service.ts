import { Injectable } from '@nestjs/common';
import type { CallerIdentity } from '@shannon/auth';
import { TaskControlAction } from '@shannon/contracts';
import { FailedPreconditionError } from '@shannon/errors';
import { TaskEventPublisher } from '../worker/task-event.publisher';
import { TaskControlPublisher } from './task-control.publisher';
import { TERMINAL_STATUSES, type StoredTaskStatus } from './task-status';
import { TaskRepository, type TaskRow } from './task.repository';
import { TaskService } from './task.service';

const FINISHED_WORDS: Record<string, string> = { COMPLETED: 'completed', FAILED: 'failed', CANCELLED: 'cancelled', TIMEOUT: 'timed out' };

/**
 * Cancel, pause and resume: the request is written to the task row first (the source of truth a
 * worker re-reads at every heartbeat), then signalled to the worker on core NATS. A task no worker
 * has claimed yet is cancelled right here, without a worker. A pause is the task's status from the
 * moment it is accepted: PAUSED until resumed or finished, on every read (ADR 0015).
 */
@Injectable()
export class TaskControlService {
  constructor(
    private readonly tasks: TaskService,
    private readonly repository: TaskRepository,
    private readonly signals: TaskControlPublisher,
    private readonly events: TaskEventPublisher,
  ) {}

  async cancel(caller: CallerIdentity, taskId: string, reason: string): Promise<{ task: TaskRow; changed: boolean }> {
    const task = await this.tasks.get(caller, taskId);
    if (task.status === 'CANCELLED' || (task.cancelRequestedAt && !isFinished(task))) {
      return { task, changed: false };
    }
    if (isFinished(task)) {
      throw new FailedPreconditionError(`Task already ${FINISHED_WORDS[task.status]}`);
    }
    const request = { reason: reason || null, by: caller.userId };
    if (awaitsFirstClaim(task)) {
      const before = await this.repository.cancelQueued(caller.tenantId, taskId, request, 3);
      if (before !== undefined) {
        const stream = this.events.streamFor(task, before);
        await stream.emit({ type: 'WORKFLOW_CANCELLING', agentId: 'orchestrator', message: 'Cancelling' });
        await stream.emit({ type: 'WORKFLOW_CANCELLED', agentId: 'orchestrator', message: 'Cancelled before it started' });
        await stream.emit({ type: 'STREAM_END', agentId: 'orchestrator', message: 'Done' });
        return { task: await this.tasks.get(caller, taskId), changed: true };
      }
    }
    const changed = await this.repository.requestCancel(caller.tenantId, taskId, request);
    const now = await this.tasks.get(caller, taskId);
    if (!changed && isFinished(now) && now.status !== 'CANCELLED') {
      throw new FailedPreconditionError(`Task already ${FINISHED_WORDS[now.status]}`);
    }
    await this.signals.send(taskId, TaskControlAction.CANCEL);
    return { task: now, changed };
  }

  async pause(caller: CallerIdentity, taskId: string, reason: string): Promise<TaskRow> {
    const task = await this.tasks.get(caller, taskId);
    if (isFinished(task)) {
      throw new FailedPreconditionError(`cannot pause ${FINISHED_WORDS[task.status]} task`);
    }
    if (task.cancelRequestedAt) {
      throw new FailedPreconditionError('cannot pause a task that is being cancelled');
    }
    if (!(await this.repository.requestPause(caller.tenantId, taskId, { reason: reason || null, by: caller.userId }))) {
      throw new FailedPreconditionError('task is already paused');
    }
    await this.signals.send(taskId, TaskControlAction.PAUSE);
    return this.tasks.get(caller, taskId);
  }

  async resume(caller: CallerIdentity, taskId: string): Promise<TaskRow> {
    const task = await this.tasks.get(caller, taskId);
    if (isFinished(task)) {
      throw new FailedPreconditionError(`cannot resume ${FINISHED_WORDS[task.status]} task`);
    }
    if (!(await this.repository.requestResume(caller.tenantId, taskId))) {
      throw new FailedPreconditionError('task is not paused');
    }
    await this.signals.send(taskId, TaskControlAction.RESUME);
    return this.tasks.get(caller, taskId);
  }
}

function isFinished(task: TaskRow): boolean {
  return TERMINAL_STATUSES.has(task.status as StoredTaskStatus);
}

/** No worker has claimed the task yet (of a task not finished: QUEUED, or PAUSED before it started). */
function awaitsFirstClaim(task: TaskRow): boolean {
  return task.startedAt === null;
}
