import { fromBinary, type JsonObject } from '@bufbuild/protobuf';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConsumerDisposition } from '@shannon/bus';
import {
  type EventType,
  TaskControlAction,
  type TaskWorkItem,
  TaskWorkItemSchema,
} from '@shannon/contracts';
import { databaseErrorMessage, dataExceptionCode } from '@shannon/db';
import { AppError } from '@shannon/errors';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { AgentRun } from '../agent/agent-run';
import { Budget, BudgetExhaustedError } from '../agent/budget';
import { PromptBuilder, type TaskPrompts } from '../agent/prompt-builder';
import { RunControl, RunStoppedError } from '../agent/run-control';
import { StrategyRegistry } from '../agent/strategies/strategy.registry';
import { TASK_CONFIG, type TaskConfig } from '../config';
import { type ChatMessage, LlmProviderError } from '../llm';
import { mockPacing } from '../tasks/task-input';
import { type TaskSettings, taskSettings } from '../tasks/task-settings';
import { TERMINAL_STATUSES, type StoredTaskStatus } from '../tasks/task-status';
import { TaskRepository, type TaskRow } from '../tasks/task.repository';
import { ToolRegistry } from '../tools/tool.registry';
import { LlmProviderRegistry } from './llm-provider.registry';
import {
  TaskEventPublisher,
  type TaskEventStream,
} from './task-event.publisher';
import { type RunOutcome, TaskRunRepository } from './task-run.repository';

const ORCHESTRATOR = 'orchestrator';

/** One delivery of a work item, as the worker hands it over. */
export interface WorkDelivery {
  subject: string;
  data: Uint8Array;
  deliveryCount: number;
  /** Tells the server the message is still being worked on (resets AckWait). */
  working: () => void;
}

/** The work item's task and turn; undefined when the bytes are not a TaskWorkItem with a task id. */
function decodeWorkItem(data: Uint8Array): TaskWorkItem | undefined {
  try {
    const item = fromBinary(TaskWorkItemSchema, data);
    return item.taskId ? item : undefined;
  } catch {
    return undefined;
  }
}

/** A task claimed for the first time follows no earlier run: it has no events and no finished steps yet. */
const isFirstRun = (task: TaskRow) => task.attempts === 1;

/** Closing events per final status: what a client sees last before STREAM_END. */
const CLOSING: Record<
  RunOutcome['status'],
  { type: EventType; message: string }[]
> = {
  COMPLETED: [{ type: 'WORKFLOW_COMPLETED', message: 'All done' }],
  FAILED: [{ type: 'WORKFLOW_FAILED', message: 'Failed' }],
  TIMEOUT: [{ type: 'WORKFLOW_FAILED', message: 'Timed out' }],
  CANCELLED: [{ type: 'WORKFLOW_CANCELLED', message: 'Cancelled' }],
};

/**
 * Runs tasks from the work queue durably (ADR 0010): claims a task with a lease, heartbeats while
 * it runs, checkpoints every step, resumes a redelivered task after its last finished step, writes
 * the outcome once and only then lets the message be acked. Bounded deliveries end in a dead letter.
 */
@Injectable()
export class TaskRunner {
  private readonly logger = new Logger(TaskRunner.name);
  private readonly running = new Map<string, RunControl>();
  private closing = false;
  /** Ends the waits of tasks not running yet (for their session's earlier turns) at shutdown. */
  private readonly shutdown = new AbortController();
  readonly workerId: string;

  constructor(
    private readonly tasks: TaskRepository,
    private readonly runs: TaskRunRepository,
    private readonly providers: LlmProviderRegistry,
    private readonly events: TaskEventPublisher,
    private readonly strategies: StrategyRegistry,
    private readonly prompts: PromptBuilder,
    private readonly tools: ToolRegistry,
    @Inject(TASK_CONFIG) private readonly config: TaskConfig,
  ) {
    this.workerId =
      config.WORKER_ID ??
      `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  }

  /** Tasks this process is running now. */
  get activeTasks(): string[] {
    return [...this.running.keys()];
  }

  /** A control signal for a task; ignored unless this process runs it. */
  signal(taskId: string, action: TaskControlAction): void {
    const control = this.running.get(taskId);
    if (!control) {
      return;
    }
    switch (action) {
      case TaskControlAction.CANCEL:
        control.stop('cancel');
        return;
      case TaskControlAction.PAUSE:
        control.requestPause();
        return;
      case TaskControlAction.RESUME:
        control.requestResume();
        return;
      case TaskControlAction.UNSPECIFIED:
        return;
    }
  }

  /** Shutdown: take no new work, stop running tasks at once (they are handed back, not failed). */
  stopAll(): void {
    this.closing = true;
    this.shutdown.abort();
    this.running.forEach((control) => control.stop('shutdown'));
  }

  async handle(delivery: WorkDelivery): Promise<ConsumerDisposition> {
    if (this.closing) {
      return { kind: 'nak', delayMs: 0 };
    }
    const item = decodeWorkItem(delivery.data);
    if (!item) {
      return this.giveUp(
        delivery,
        undefined,
        'Undecodable work item (not a TaskWorkItem)',
      );
    }
    const taskId = item.taskId;
    if (delivery.deliveryCount > this.config.TASK_MAX_ATTEMPTS) {
      return this.exhausted(delivery, taskId);
    }
    // The session's earlier turns, read before the claim: while an earlier turn of the session still
    // runs this waits and the task stays QUEUED (the default `enqueue` policy, ADR 0041). A
    // session's first turn has none, so it is claimed at once and its row comes with the claim.
    let history: ChatMessage[] = [];
    if (item.sessionTurn !== 1) {
      const task = await this.tasks.findById(taskId);
      if (!task) {
        return this.giveUp(
          delivery,
          undefined,
          `Work item for unknown task ${taskId}`,
        );
      }
      if (TERMINAL_STATUSES.has(task.status as StoredTaskStatus)) {
        return this.acknowledgeFinished(task);
      }
      try {
        history = await this.prompts.historyBefore(task, {
          heartbeat: delivery.working,
          signal: this.shutdown.signal,
        });
      } catch (error) {
        if (this.closing) {
          // Shutting down while waiting for the session: hand the task to another worker now.
          return { kind: 'nak', delayMs: 0 };
        }
        throw error;
      }
    }
    const claim = await this.runs.claim(
      taskId,
      this.workerId,
      this.config.TASK_ACK_WAIT_MS,
      this.config.TASK_TIMEOUT_SECONDS,
    );
    switch (claim.kind) {
      case 'missing':
        return this.giveUp(
          delivery,
          undefined,
          `Work item for unknown task ${taskId}`,
        );
      case 'finished':
        return this.acknowledgeFinished(claim.task);
      case 'leased':
        return { kind: 'nak', delayMs: claim.retryInMs };
      case 'claimed':
        break;
    }
    const task = claim.task;
    let settings: TaskSettings;
    try {
      settings = taskSettings((task.context ?? {}) as JsonObject);
      mockPacing((task.context ?? {}) as JsonObject);
    } catch (error) {
      return this.giveUp(
        delivery,
        task,
        `Stored task cannot run: ${(error as Error).message}`,
      );
    }
    const prompts = this.prompts.forTask(task, history);
    let stream: TaskEventStream | undefined;
    try {
      stream = isFirstRun(task)
        ? this.events.streamFor(task)
        : await this.events.resumeStream(task);
      return await this.execute(
        task,
        settings,
        prompts,
        stream,
        delivery,
      );
    } catch (error) {
      const sqlState = dataExceptionCode(error);
      if (sqlState) {
        // The database refused the task's own data: every delivery would fail the same way, so
        // the task fails now instead of running (and streaming) again (ADR 0010).
        await stream?.flush();
        return this.giveUp(
          delivery,
          task,
          `The database refused this task's data (SQLSTATE ${sqlState}), so it was not retried: ${databaseErrorMessage(error)}`,
        );
      }
      // Infrastructure trouble (database, bus): hand the task back and try again later.
      await this.runs
        .release(
          task.id,
          this.workerId,
          stream?.publishedSeq ?? task.lastSeq,
        )
        .catch(() => undefined);
      if (delivery.deliveryCount >= this.config.TASK_MAX_ATTEMPTS) {
        return this.giveUp(
          delivery,
          task,
          `Gave up after ${delivery.deliveryCount} deliveries: ${databaseErrorMessage(error)}`,
        );
      }
      const delayMs = Math.min(
        300_000,
        this.config.TASK_RETRY_BACKOFF_MS * 2 ** (delivery.deliveryCount - 1),
      );
      this.logger.warn(
        `Task ${task.id} failed on delivery ${delivery.deliveryCount}, retrying in ${delayMs} ms: ${databaseErrorMessage(error)}`,
      );
      return { kind: 'nak', delayMs };
    }
  }

  private async execute(
    task: TaskRow,
    settings: TaskSettings,
    prompts: TaskPrompts,
    stream: TaskEventStream,
    delivery: WorkDelivery,
  ): Promise<ConsumerDisposition> {
    const emitSoon = (type: EventType, message: string) =>
      void stream
        .emit({ type, agentId: ORCHESTRATOR, message })
        .catch((error: Error) =>
          this.logger.warn(
            `Event ${type} of ${task.id} not sent: ${error.message}`,
          ),
        );
    const control = new RunControl({
      onCancelRequested: () => emitSoon('WORKFLOW_CANCELLING', 'Cancelling'),
      onPauseRequested: () =>
        emitSoon('WORKFLOW_PAUSING', 'Pausing at the next step'),
      onPauseWithdrawn: () =>
        emitSoon('WORKFLOW_RESUMED', 'Resumed before the pause took hold'),
    });
    this.running.set(task.id, control);
    const heartbeat = setInterval(
      () => void this.heartbeat(task.id, control, delivery),
      Math.max(100, Math.floor(this.config.TASK_ACK_WAIT_MS / 3)),
    );
    const deadline = setTimeout(
      () => control.stop('timeout'),
      Math.max(0, (task.deadlineAt?.getTime() ?? Date.now()) - Date.now()),
    );
    try {
      if (task.attempts <= 1) {
        await stream.emit({
          type: 'WORKFLOW_STARTED',
          agentId: ORCHESTRATOR,
          message: 'Starting up',
        });
      } else {
        await stream.emit({
          type: 'ERROR_RECOVERY',
          agentId: ORCHESTRATOR,
          message: `Resuming after the last finished step (attempt ${task.attempts})`,
        });
      }
      if (task.cancelRequestedAt) {
        control.stop('cancel');
      } else if (task.pauseRequested) {
        control.requestPause();
      }
      const outcome = await this.runStrategy(
        task,
        settings,
        prompts,
        stream,
        control,
      );
      return await this.settle(task, stream, outcome);
    } catch (error) {
      if (error instanceof RunStoppedError || control.reason) {
        const reason = control.reason ?? (error as RunStoppedError).reason;
        if (reason === 'cancel') {
          const why = (await this.tasks.findById(task.id))?.cancelReason;
          return this.settle(task, stream, {
            status: 'CANCELLED',
            error: why ? `Cancelled: ${why}` : 'Cancelled by request',
          });
        }
        if (reason === 'timeout') {
          const seconds =
            settings.timeoutSeconds ?? this.config.TASK_TIMEOUT_SECONDS;
          return this.settle(task, stream, {
            status: 'TIMEOUT',
            error: `The task exceeded its timeout of ${seconds} s (set context.timeout_seconds for more)`,
          });
        }
        // shutdown or a lost lease: someone else (or a later delivery) carries on from the last step.
        if (reason === 'shutdown') {
          await this.runs.release(task.id, this.workerId, stream.publishedSeq);
        }
        return { kind: 'nak', delayMs: 0 };
      }
      throw error;
    } finally {
      clearInterval(heartbeat);
      clearTimeout(deadline);
      this.running.delete(task.id);
    }
  }

  /** The strategy's answer, or the failure a person can act on (model errors, budget, bad settings). */
  private async runStrategy(
    task: TaskRow,
    settings: TaskSettings,
    prompts: TaskPrompts,
    stream: TaskEventStream,
    control: RunControl,
  ): Promise<RunOutcome> {
    try {
      const choice = this.providers.forTask(task, (notice) => {
        void stream
          .emit({
            type: 'ERROR_RECOVERY',
            agentId: ORCHESTRATOR,
            message: `Retrying ${choice.provider} in ${notice.delayMs} ms after: ${notice.error.message}`,
          })
          .catch(() => undefined);
      });
      const completed = new Map(
        (isFirstRun(task) ? [] : await this.runs.steps(task.id))
          .filter((step) => step.status === 'completed')
          .map((step) => [step.key, step]),
      );
      const run = new AgentRun({
        task,
        settings,
        prompts,
        provider: choice.client,
        model: choice.model,
        catalog: this.providers.catalog,
        tools: this.tools,
        control,
        budget: new Budget(
          { maxTokens: settings.maxTokens, maxCostUsd: settings.maxCostUsd },
          task.inputTokens + task.outputTokens,
          Number(task.estimatedCost),
        ),
        mock: mockPacing((task.context ?? {}) as JsonObject),
        deltaMaxChars: this.config.LLM_DELTA_MAX_CHARS,
        journal: {
          completed: (key) => completed.get(key),
          record: (step) =>
            this.runs.recordStep(
              task.id,
              this.workerId,
              task.attempts,
              step,
              stream.publishedSeq,
            ),
        },
        emit: (event) => stream.emit(event),
        // The row says PAUSED from the moment the pause was accepted (ADR 0015): holding only
        // tells the stream.
        hold: () =>
          control.holdWhilePaused({
            held: () =>
              stream.emit({
                type: 'WORKFLOW_PAUSED',
                agentId: ORCHESTRATOR,
                message: 'Paused',
              }),
            resumed: () =>
              stream.emit({
                type: 'WORKFLOW_RESUMED',
                agentId: ORCHESTRATOR,
                message: 'Resumed',
              }),
          }),
        warnBudget: async () => {
          if (await this.runs.markBudgetWarned(task.id)) {
            await stream.emit({
              type: 'BUDGET_THRESHOLD',
              agentId: ORCHESTRATOR,
              message: 'Used 80% of the task budget',
              payload: { threshold: 0.8 },
            });
          }
        },
      });
      const result = await this.strategies.forMode(task.mode).run(run);
      return { status: 'COMPLETED', result };
    } catch (error) {
      if (control.reason) {
        throw new RunStoppedError(control.reason);
      }
      if (error instanceof BudgetExhaustedError) {
        return { status: 'FAILED', error: error.message };
      }
      if (error instanceof LlmProviderError) {
        return {
          status: 'FAILED',
          error: `Model call failed: ${error.message}`,
        };
      }
      if (error instanceof AppError) {
        return { status: 'FAILED', error: error.message };
      }
      throw error;
    }
  }

  /** Writes the outcome once (then the message may be acked), then closes the event stream. */
  private async settle(
    task: TaskRow,
    stream: TaskEventStream,
    outcome: RunOutcome,
  ): Promise<ConsumerDisposition> {
    if (outcome.status !== 'COMPLETED' && outcome.error) {
      await stream.emit({
        type: 'ERROR_OCCURRED',
        agentId: ORCHESTRATOR,
        message: `Hit an issue: ${outcome.error}`,
      });
    }
    await stream.flush();
    if (
      !(await this.runs.finish(
        task.id,
        this.workerId,
        outcome,
        stream.publishedSeq,
      ))
    ) {
      return { kind: 'ack' }; // someone else finished it; nothing more to say
    }
    await this.emitClosing(stream, outcome.status);
    return { kind: 'ack' };
  }

  private async emitClosing(
    stream: TaskEventStream,
    status: RunOutcome['status'],
  ): Promise<void> {
    for (const event of CLOSING[status]) {
      await stream.emit({
        type: event.type,
        agentId: ORCHESTRATOR,
        message: event.message,
      });
    }
    await stream.emit({
      type: 'STREAM_END',
      agentId: ORCHESTRATOR,
      message: 'Done',
    });
  }

  /**
   * A delivery of a finished task is acked; if a crash cut its closing events off, they go out
   * first (a redelivery repairs it).
   */
  private async acknowledgeFinished(task: TaskRow): Promise<ConsumerDisposition> {
    const last = await this.events.lastPublished(task);
    if (last?.type !== 'STREAM_END' && task.status in CLOSING) {
      const start = last && last.seq > task.lastSeq ? last.seq : task.lastSeq;
      await this.emitClosing(
        this.events.streamFor(task, start),
        task.status as RunOutcome['status'],
      );
    }
    return { kind: 'ack' };
  }

  private async heartbeat(
    taskId: string,
    control: RunControl,
    delivery: WorkDelivery,
  ): Promise<void> {
    delivery.working();
    try {
      const pauseVersion = control.pauseVersion;
      const state = await this.runs.renew(
        taskId,
        this.workerId,
        this.config.TASK_ACK_WAIT_MS,
      );
      if (!state) {
        control.stop('lease_lost');
        return;
      }
      // The row is the source of truth: a control signal lost on the way is picked up here.
      if (state.cancelRequested) {
        control.stop('cancel');
        return;
      }
      // A pause or resume signalled while the row was read may be newer than what was read (it
      // would be undone, with an event each way): the next heartbeat looks again.
      if (control.pauseVersion !== pauseVersion) {
        return;
      }
      if (state.pauseRequested) {
        control.requestPause();
      } else {
        control.requestResume();
      }
    } catch (error) {
      this.logger.warn(
        `Lease renewal of ${taskId} failed: ${(error as Error).message}`,
      );
    }
  }

  /**
   * The last delivery only settles the task: a finished one gets its closing events if a crash cut
   * them off, any other ends in the dead letter.
   */
  private async exhausted(
    delivery: WorkDelivery,
    taskId: string,
  ): Promise<ConsumerDisposition> {
    const task = await this.tasks.findById(taskId);
    if (task && TERMINAL_STATUSES.has(task.status as StoredTaskStatus)) {
      return this.acknowledgeFinished(task);
    }
    return this.giveUp(
      delivery,
      task ?? undefined,
      `Gave up after ${this.config.TASK_MAX_ATTEMPTS} deliveries without a result`,
    );
  }

  /** Dead letter: the message is terminated and its task (if any) ends FAILED with the reason. */
  private async giveUp(
    delivery: WorkDelivery,
    task: TaskRow | undefined,
    reason: string,
  ): Promise<ConsumerDisposition> {
    this.logger.error(
      `Dead letter (${delivery.deliveryCount} deliveries): ${reason}`,
    );
    const stream = task ? await this.events.resumeStream(task) : undefined;
    const failed = await this.runs.deadLetter(
      {
        taskId: task?.id,
        subject: delivery.subject,
        deliveries: delivery.deliveryCount,
        reason,
        payload: delivery.data,
      },
      stream?.lastSeq,
    );
    if (failed && stream) {
      await stream.emit({
        type: 'ERROR_OCCURRED',
        agentId: ORCHESTRATOR,
        message: `Hit an issue: ${reason}`,
      });
      await this.emitClosing(stream, 'FAILED');
    }
    return { kind: 'term', reason };
  }
}
