import { create, fromBinary, type JsonObject, toBinary } from '@bufbuild/protobuf';
import { timestampNow } from '@bufbuild/protobuf/wkt';
import { Injectable } from '@nestjs/common';
import { BusPublisher, latestMessage, NatsConnection } from '@shannon/bus';
import { BusNames, type EventType, type TaskEvent, TaskEventSchema } from '@shannon/contracts';

export interface TaskEventInput {
  type: EventType;
  agentId?: string;
  message?: string;
  payload?: JsonObject;
}

export interface EventOwner {
  id: string;
  tenantId: string;
  userId: string;
}

/**
 * Emits one task's events with a gap-free per-task seq. A stream starts after the last seq the
 * task is known to have used (kept in the task row and read back from the EVENTS stream), so a
 * redelivered task continues the numbering and never reuses a number. Publishes go out one at a
 * time in seq order, whoever calls `emit` concurrently.
 */
export class TaskEventStream {
  private seq: bigint;
  private published: bigint;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly publisher: BusPublisher,
    private readonly names: BusNames,
    private readonly task: EventOwner,
    startAfter = 0n,
  ) {
    this.seq = startAfter;
    this.published = startAfter;
  }

  /** The last seq the server confirmed: what a checkpoint may record as used. */
  get publishedSeq(): bigint {
    return this.published;
  }

  /** The last seq handed out (published or being published). */
  get lastSeq(): bigint {
    return this.seq;
  }

  emit(event: TaskEventInput): Promise<bigint> {
    this.seq += 1n;
    const seq = this.seq;
    const message = create(TaskEventSchema, {
      workflowId: this.task.id,
      tenantId: this.task.tenantId,
      userId: this.task.userId,
      type: event.type,
      agentId: event.agentId ?? '',
      message: event.message ?? '',
      payload: event.payload,
      timestamp: timestampNow(),
      seq,
    });
    const published = this.tail
      .then(() =>
        this.publisher.publish(this.names.taskEventSubject(this.task.tenantId, this.task.id, event.type), toBinary(TaskEventSchema, message), {
          msgId: BusNames.eventMessageId(this.task.id, seq),
        }),
      )
      .then(() => {
        this.published = seq;
      });
    this.tail = published.catch(() => undefined);
    return published.then(() => seq);
  }

  /** Resolves when every event emitted so far is stored by the server. */
  async flush(): Promise<void> {
    await this.tail;
  }
}

@Injectable()
export class TaskEventPublisher {
  constructor(
    private readonly publisher: BusPublisher,
    private readonly names: BusNames,
    private readonly nats: NatsConnection,
  ) {}

  streamFor(task: EventOwner, startAfter = 0n): TaskEventStream {
    return new TaskEventStream(this.publisher, this.names, task, startAfter);
  }

  /** The task's last event stored on the EVENTS stream, if any (looked up by its literal subjects, ADR 0052). */
  async lastPublished(task: EventOwner): Promise<TaskEvent | undefined> {
    const stored = await latestMessage(this.nats, this.names.eventsStream, this.names.taskEventSubjects(task.tenantId, task.id));
    return stored ? fromBinary(TaskEventSchema, stored.data) : undefined;
  }

  /** Where a new run of the task continues the numbering: after the row's seq and the stream's. */
  async resumeStream(task: EventOwner & { lastSeq: bigint }): Promise<TaskEventStream> {
    const last = (await this.lastPublished(task))?.seq ?? 0n;
    return this.streamFor(task, last > task.lastSeq ? last : task.lastSeq);
  }
}
