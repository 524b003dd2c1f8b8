import { create, toBinary } from '@bufbuild/protobuf';
import { Inject, Injectable } from '@nestjs/common';
import type { CallerIdentity } from '@shannon/auth';
import { BusNames, isTaskId, newTaskId, type SubmitTaskRequest, TaskWorkItemSchema } from '@shannon/contracts';
import { ErrorCode, IdempotencyConflictError, NotFoundError, ValidationError } from '@shannon/errors';
import { formatTraceparent, type TraceContext, traceHeaders } from '@shannon/logging';
import { TASK_CONFIG, type TaskConfig } from '../config';
import { ModelCatalog } from '../llm';
import { OutboxRelay } from '../outbox/outbox.relay';
import { parseTaskInput } from './task-input';
import { type OutboxEntry, type TaskListFilter, TaskRepository, type TaskRow, type TaskTrace, type TokenUsage } from './task.repository';

export const TASK_NOT_FOUND = 'Task not found';
/** How long an Idempotency-Key is remembered. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const REQUEST_HASH = /^[0-9a-f]{64}$/;

export interface SubmitOutcome {
  task: TaskRow;
  /** True when the Idempotency-Key was seen before: `task` is the one created then. */
  replayed: boolean;
}

@Injectable()
export class TaskService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly relay: OutboxRelay,
    private readonly names: BusNames,
    private readonly catalog: ModelCatalog,
    @Inject(TASK_CONFIG) private readonly config: Pick<TaskConfig, 'TASK_DISPATCH'>,
  ) {}

  /**
   * Stores the task and its work message together, then hands the message to the relay to publish
   * at once (a crash in between leaves the row to the relay's timer). With an
   * idempotency key, a repeat of the same request (same hash) returns the first task and creates
   * nothing, even when the repeats arrive at once; the same key with another request is refused.
   * The trace the call came with is recorded on the task and travels with the work message.
   */
  async submit(caller: CallerIdentity, request: SubmitTaskRequest, trace?: TraceContext): Promise<SubmitOutcome> {
    const input = parseTaskInput(request, this.catalog);
    if (request.taskId && !isTaskId(request.taskId)) {
      throw new ValidationError('Invalid task_id (expected task_<ULID>)');
    }
    const id = request.taskId || newTaskId();
    const outbox = this.workMessage(id, caller, request.sessionTurn, trace);
    const recorded: TaskTrace | undefined = trace && { traceId: trace.traceId, traceparent: formatTraceparent(trace), tracestate: trace.tracestate };
    if (!request.idempotencyKey) {
      const task = await this.tasks.create(id, caller, input, outbox, recorded);
      this.dispatch(id, outbox);
      return { task, replayed: false };
    }
    if (!IDEMPOTENCY_KEY.test(request.idempotencyKey)) {
      throw new ValidationError('Invalid Idempotency-Key (1 to 255 printable ASCII characters)');
    }
    if (!REQUEST_HASH.test(request.requestHash)) {
      throw new ValidationError('request_hash must be 64 hex characters when an idempotency key is given');
    }
    const claim = { key: request.idempotencyKey, requestHash: request.requestHash, ttlSeconds: IDEMPOTENCY_TTL_SECONDS };
    const outcome = await this.tasks.createIdempotent(id, caller, input, outbox, claim, recorded);
    switch (outcome.kind) {
      case 'conflict':
        throw new IdempotencyConflictError();
      case 'replayed':
        return { task: outcome.task, replayed: true };
      case 'created':
        this.dispatch(id, outbox);
        return { task: outcome.task, replayed: false };
    }
  }

  /** The message that puts the task on the work queue; none when TASK_DISPATCH is row-only. */
  private workMessage(id: string, caller: CallerIdentity, sessionTurn: number, trace?: TraceContext): OutboxEntry | undefined {
    if (this.config.TASK_DISPATCH === 'row-only') {
      return undefined;
    }
    const workItem = toBinary(TaskWorkItemSchema, create(TaskWorkItemSchema, { taskId: id, tenantId: caller.tenantId, sessionTurn }));
    return { subject: this.names.taskWorkSubject, msgId: id, payload: workItem, headers: trace && traceHeaders(trace) };
  }

  private dispatch(taskId: string, outbox: OutboxEntry | undefined): void {
    if (outbox) {
      this.relay.send(taskId, outbox);
    }
  }

  async get(caller: CallerIdentity, taskId: string): Promise<TaskRow> {
    const task = await this.tasks.findForTenant(caller.tenantId, taskId);
    if (!task) {
      throw new NotFoundError(ErrorCode.TaskNotFound, TASK_NOT_FOUND);
    }
    return task;
  }

  list(caller: CallerIdentity, filter: TaskListFilter): Promise<{ rows: TaskRow[]; total: number }> {
    return this.tasks.list(caller, filter);
  }

  /** Tokens the caller's tenant (every user of it) used on tasks created at or after `since`. */
  tenantUsage(caller: CallerIdentity, since: Date | undefined): Promise<TokenUsage> {
    if (!since) {
      throw new ValidationError('since is required');
    }
    return this.tasks.tenantUsageSince(caller.tenantId, since);
  }
}
