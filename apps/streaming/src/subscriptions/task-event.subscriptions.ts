import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type { CallerIdentity } from '@shannon/auth';
import { type SubscribeRequest, type SubscribeResponseSchema, type TaskEvent, TaskEventSchema } from '@shannon/contracts';
import { AppError, ErrorCode, ValidationError } from '@shannon/errors';
import { STREAMING_CONFIG, type StreamingConfig } from '../config';
import { toTaskEventMessage } from '../events/event-log.mapper';
import { EventLogRepository, type EventLogRow } from '../events/event-log.repository';
import { assertTaskId } from '../events/task-id';
import type { EventLogSource, ReplayItem } from './replay-item';
import { RecentTaskEvents } from './recent-task-events';
import { TaskEventBusReader } from './task-event.bus-reader';
import { TaskEventReplay } from './task-event.replay';

const TYPE_PATTERN = /^[A-Za-z0-9_.]{1,64}$/;
const MAX_HELD = 1_024;

type SubscribeItem = MessageInitShape<typeof SubscribeResponseSchema>;

/** Opens subscriptions to tasks' events and ends them all when the service shuts down. */
@Injectable()
export class TaskEventSubscriptions implements BeforeApplicationShutdown {
  private readonly running = new Set<AbortController>();
  private shuttingDown = false;
  private readonly log: EventLogSource;

  constructor(
    repository: EventLogRepository,
    private readonly bus: TaskEventBusReader,
    private readonly recent: RecentTaskEvents,
    @Inject(STREAMING_CONFIG) private readonly config: StreamingConfig,
  ) {
    this.log = {
      after: async (tenantId, taskId, afterSeq, limit) => (await repository.after(tenantId, taskId, afterSeq, limit)).map(eventOf),
      between: async (tenantId, taskId, fromSeq, toSeq) => (await repository.between(tenantId, taskId, fromSeq, toSeq)).map(eventOf),
      lastSeq: (tenantId, taskId) => repository.lastSeq(tenantId, taskId),
      streamEndSeq: (tenantId, taskId) => repository.streamEndSeq(tenantId, taskId),
    };
  }

  /** Checks the request at once (so a bad one fails the call), then streams when read. */
  open(caller: CallerIdentity, request: SubscribeRequest): (signal: AbortSignal) => AsyncIterable<SubscribeItem> {
    assertTaskId(request.taskId);
    const badType = request.types.find((type) => !TYPE_PATTERN.test(type));
    if (badType !== undefined) {
      throw new ValidationError(`Invalid event type in types: ${JSON.stringify(badType)}`);
    }
    const replay = new TaskEventReplay(this.log, this.bus, this.recent, {
      tenantId: caller.tenantId,
      taskId: request.taskId,
      afterSeq: request.afterSeq,
      types: new Set(request.types),
      reorderWindowMs: this.config.SUBSCRIBE_REORDER_WINDOW_MS,
      maxHeld: MAX_HELD,
    });
    return (signal) => this.run(replay, signal);
  }

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
    this.running.forEach((subscription) => subscription.abort());
  }

  private async *run(replay: TaskEventReplay, signal: AbortSignal): AsyncGenerator<SubscribeItem> {
    if (this.shuttingDown) {
      throw shuttingDown();
    }
    const subscription = new AbortController();
    const onAbort = () => subscription.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    this.running.add(subscription);
    try {
      let ended = false;
      for await (const item of replay.items(subscription.signal)) {
        ended = item.kind === 'event' && item.event.type === 'STREAM_END';
        yield toResponse(item);
      }
      if (!ended && this.shuttingDown) {
        // Not the end of the task: the caller subscribes again (to another replica) from its last seq.
        throw shuttingDown();
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.running.delete(subscription);
    }
  }
}

function toResponse(item: ReplayItem): SubscribeItem {
  switch (item.kind) {
    case 'event':
      return { item: { case: 'event', value: item.event } };
    case 'gap':
      return { item: { case: 'gap', value: { fromSeq: item.fromSeq, toSeq: item.toSeq, reason: item.reason } } };
  }
}

function eventOf(row: EventLogRow): TaskEvent {
  return create(TaskEventSchema, toTaskEventMessage(row));
}

function shuttingDown(): AppError {
  return new AppError(ErrorCode.Unavailable, 'The streaming service is shutting down; subscribe again');
}
