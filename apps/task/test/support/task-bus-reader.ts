import { fromBinary } from '@bufbuild/protobuf';
import { jetstream, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { type BusNames, type TaskEvent, TaskEventSchema } from '@shannon/contracts';

/** Reads a task's events straight from the EVENTS stream, in stream order (what clients get). */
export async function readTaskEvents(nats: NatsConnection, jsm: JetStreamManager, names: BusNames, tenantId: string, taskId: string): Promise<TaskEvent[]> {
  const subject = names.taskEventsSubject(tenantId, taskId);
  const info = await jsm.streams.info(names.eventsStream, { subjects_filter: subject });
  const total = Object.values(info.state.subjects ?? {}).reduce((sum, count) => sum + count, 0);
  if (total === 0) {
    return [];
  }
  const consumer = await jetstream(nats).consumers.get(names.eventsStream, { filter_subjects: subject });
  const events: TaskEvent[] = [];
  while (events.length < total) {
    const batch = await consumer.fetch({ max_messages: total - events.length, expires: 2_000 });
    for await (const message of batch) {
      events.push(fromBinary(TaskEventSchema, message.data));
    }
  }
  return events;
}

/** Types in order, token deltas folded into one "LLM_PARTIAL*" marker per run of them. */
export function eventShape(events: TaskEvent[]): string[] {
  const shape: string[] = [];
  for (const event of events) {
    const name = event.type === 'LLM_PARTIAL' ? 'LLM_PARTIAL*' : event.type;
    if (name !== 'LLM_PARTIAL*' || shape[shape.length - 1] !== name) {
      shape.push(name);
    }
  }
  return shape;
}

/** seq 1..n with no gap and no repeat. */
export function seqs(events: TaskEvent[]): number[] {
  return events.map((event) => Number(event.seq));
}
