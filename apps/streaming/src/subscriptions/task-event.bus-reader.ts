import { fromBinary } from '@bufbuild/protobuf';
import { DeliverPolicy } from '@nats-io/jetstream';
import { Injectable } from '@nestjs/common';
import { NatsConnection } from '@shannon/bus';
import { BusNames, type TaskEvent, TaskEventSchema } from '@shannon/contracts';
import type { BusPosition, EventBusSource } from './replay-item';

/** Messages the consumer pulls ahead of the reader. */
const PULL_BATCH = 256;
/** The server drops a consumer this long after its reader vanished without deleting it. */
const INACTIVE_THRESHOLD_MS = 30_000;

/** Reads one task's events from the EVENTS stream with an ordered consumer on its subject. */
@Injectable()
export class TaskEventBusReader implements EventBusSource {
  constructor(
    private readonly nats: NatsConnection,
    private readonly names: BusNames,
  ) {}

  async retention(tenantId: string, taskId: string): Promise<{ keepsTask: boolean; lastStreamSeq: number }> {
    const subject = this.names.taskEventsSubject(tenantId, taskId);
    const info = await this.nats.jsm.streams.info(this.names.eventsStream, { subjects_filter: subject });
    // The filter matches one subject per class of event the task has sent.
    return { keepsTask: Object.keys(info.state.subjects ?? {}).length > 0, lastStreamSeq: info.state.last_seq };
  }

  async *follow(tenantId: string, taskId: string, from: BusPosition, signal: AbortSignal): AsyncIterable<TaskEvent> {
    const consumer = await this.nats.jetstream.consumers.get(this.names.eventsStream, {
      filter_subjects: this.names.taskEventsSubject(tenantId, taskId),
      inactive_threshold: INACTIVE_THRESHOLD_MS,
      ...(from === 'first' ? { deliver_policy: DeliverPolicy.All } : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from.streamSeq }),
    });
    const messages = await consumer.consume({ max_messages: PULL_BATCH });
    const close = () => void messages.close();
    signal.addEventListener('abort', close, { once: true });
    try {
      if (!signal.aborted) {
        for await (const message of messages) {
          yield fromBinary(TaskEventSchema, message.data);
        }
      }
    } finally {
      signal.removeEventListener('abort', close);
      await messages.close();
      await consumer.delete().catch(() => undefined);
    }
  }
}
