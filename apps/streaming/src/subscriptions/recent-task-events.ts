import { fromBinary } from '@bufbuild/protobuf';
import { type ConsumerMessages, DeliverPolicy } from '@nats-io/jetstream';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { NatsConnection } from '@shannon/bus';
import { setTimeout as sleep } from 'node:timers/promises';
import { BusNames, type TaskEvent, TaskEventSchema } from '@shannon/contracts';
import { AppError, ErrorCode } from '@shannon/errors';
import { STREAMING_CONFIG, type StreamingConfig } from '../config';
import type { RecentEventsSource } from './replay-item';
import { RecentEventsMemory } from './recent-events.memory';

/** Messages the consumer pulls ahead of the dispatch. */
const PULL_BATCH = 1_024;
/** How long shutdown waits for the consumer to close (one being recreated may not answer). */
const CLOSE_TIMEOUT_MS = 1_000;

/**
 * Every task's latest events, read by this process with one ordered consumer on the whole EVENTS
 * stream from the moment it starts (ADR 0020). A subscriber whose resume point they reach is
 * served from memory and then live, with no consumer of its own: no round trip to the server
 * before its first event. Off when STREAM_RECENT_EVENTS is 0.
 */
@Injectable()
export class RecentTaskEvents implements RecentEventsSource, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RecentTaskEvents.name);
  private readonly memory: RecentEventsMemory;
  /** The first stream sequence read; undefined while not reading. */
  private readingSince?: number;
  private messages?: ConsumerMessages;
  private reading?: Promise<void>;
  private recordedThrough = 0;

  constructor(
    private readonly nats: NatsConnection,
    private readonly names: BusNames,
    @Inject(STREAMING_CONFIG) private readonly config: Pick<StreamingConfig, 'STREAM_RECENT_EVENTS'>,
  ) {
    this.memory = new RecentEventsMemory(config.STREAM_RECENT_EVENTS);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.STREAM_RECENT_EVENTS === 0) {
      return;
    }
    const start = (await this.nats.jsm.streams.info(this.names.eventsStream)).state.last_seq + 1;
    const consumer = await this.nats.jetstream.consumers.get(this.names.eventsStream, {
      filter_subjects: this.names.allEventsSubject,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: start,
    });
    this.messages = await consumer.consume({ max_messages: PULL_BATCH });
    this.readingSince = start;
    this.reading = this.read(this.messages);
  }

  /** Before the NATS connection drains (BusModule's shutdown hook): a consumer left open would be recreated meanwhile. */
  async beforeApplicationShutdown(): Promise<void> {
    const closed = Promise.all([this.messages?.close(), this.reading]);
    await Promise.race([closed, sleep(CLOSE_TIMEOUT_MS)]);
  }

  /** Live followers now (for tests and metrics). */
  get followerCount(): number {
    return this.memory.followerCount;
  }

  /** The stream sequence of the last event read (0: none yet). */
  get readThrough(): number {
    return this.recordedThrough;
  }

  followFrom(tenantId: string, taskId: string, nextSeq: bigint, signal: AbortSignal): AsyncIterable<TaskEvent> | undefined {
    return this.readingSince === undefined ? undefined : this.memory.followFrom(this.names.taskEventsSubject(tenantId, taskId), nextSeq, signal);
  }

  followAfter(tenantId: string, taskId: string, streamSeq: number, signal: AbortSignal): AsyncIterable<TaskEvent> | undefined {
    return this.readingSince === undefined
      ? undefined
      : this.memory.followAfter(this.names.taskEventsSubject(tenantId, taskId), streamSeq, this.readingSince, signal);
  }

  private async read(messages: ConsumerMessages): Promise<void> {
    try {
      for await (const message of messages) {
        const event = fromBinary(TaskEventSchema, message.data);
        // Kept under the task's own filter (its events arrive on several subjects, one per class).
        this.memory.record(this.names.taskEventsSubject(event.tenantId, event.workflowId), event, message.seq);
        this.recordedThrough = message.seq;
      }
    } catch (error) {
      this.logger.warn(`Stopped reading recent events: ${(error as Error).message}`);
    } finally {
      // Followers resubscribe (their gateway resumes from the last seq) and take the consumer path.
      this.readingSince = undefined;
      this.memory.failAll(new AppError(ErrorCode.Unavailable, 'The streaming service stopped following the event stream; subscribe again'));
    }
  }
}
