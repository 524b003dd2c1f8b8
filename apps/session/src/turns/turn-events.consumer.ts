import { fromBinary } from '@bufbuild/protobuf';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { DurableConsumerFactory, type RunningConsumer } from '@shannon/bus';
import { BusNames, type EventType, type TaskEvent, TaskEventSchema, TERMINAL_EVENT_TYPES } from '@shannon/contracts';
import { LRUCache } from 'lru-cache';
import { TaskOutcomeReader } from './task-outcome.reader';
import { TurnService } from './turn.service';

const IN_FLIGHT = 256;
/** Tasks whose outcome this process recorded lately (their later terminal events need no check). */
const SETTLED_REMEMBERED = 10_000;

/**
 * Follows the start and end events on the EVENTS stream (`lasting.lifecycle`, ADR 0045) with its
 * own durable consumer and keeps each turn in step with its task: WORKFLOW_STARTED marks it
 * running, a terminal event records the outcome, read from the task service.
 */
@Injectable()
export class TurnEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TurnEventsConsumer.name);
  private consumer?: RunningConsumer;
  /** A task ends with two or more terminal events (WORKFLOW_COMPLETED, then STREAM_END): one read is enough. */
  private readonly settled = new LRUCache<string, true>({ max: SETTLED_REMEMBERED });
  /**
   * Outcomes being recorded now, by task: the terminal events of a task arrive together and are
   * handled side by side, so a later one waits for the first instead of reading the task again.
   */
  private readonly settling = new Map<string, Promise<void>>();

  constructor(
    private readonly consumers: DurableConsumerFactory,
    private readonly names: BusNames,
    private readonly turns: TurnService,
    private readonly tasks: TaskOutcomeReader,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await this.consumers.start({
      stream: this.names.eventsStream,
      durable: this.names.sessionTurnsConsumer,
      filterSubject: this.names.lifecycleEventsSubject,
      ackWaitMs: 30_000,
      maxDeliver: 10,
      concurrency: IN_FLIGHT,
      handle: (message) => this.handle(fromBinary(TaskEventSchema, message.data)),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }

  /** Resolves when the event is dealt with; throws to have it redelivered. */
  async handle(event: TaskEvent): Promise<void> {
    if (event.type === 'WORKFLOW_STARTED') {
      await this.turns.recordStart(event.workflowId, event.timestamp ? timestampDate(event.timestamp) : new Date());
      return;
    }
    if (!TERMINAL_EVENT_TYPES.has(event.type as EventType)) {
      return;
    }
    const recording = this.settling.get(event.workflowId);
    if (recording && (await recording.then(() => true, () => false))) {
      return;
    }
    const settle = this.settle(event);
    this.settling.set(event.workflowId, settle);
    try {
      await settle;
    } finally {
      if (this.settling.get(event.workflowId) === settle) {
        this.settling.delete(event.workflowId);
      }
    }
  }

  /** Records the outcome of the task a terminal event ends, unless this process recorded it lately (a closed turn is left as it is by the write). */
  private async settle(event: TaskEvent): Promise<void> {
    // A turn closed already (a redelivery after a restart) costs one read of the task: recording
    // the outcome again changes nothing. Asking first whether it is open would cost every task a
    // statement instead.
    if (this.settled.has(event.workflowId)) {
      return;
    }
    const read = await this.tasks.read({ tenantId: event.tenantId, userId: event.userId }, event.workflowId);
    switch (read.kind) {
      case 'finished':
        await this.turns.recordOutcome(event.workflowId, read.outcome);
        this.settled.set(event.workflowId, true);
        return;
      case 'unfinished':
        throw new Error(`Task ${event.workflowId} sent ${event.type} but is not finished yet`);
      case 'missing':
        this.logger.warn(`Task ${event.workflowId} of an open turn is unknown to the task service`);
        return;
    }
  }
}
