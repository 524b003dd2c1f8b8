import { create, toBinary } from '@bufbuild/protobuf';
import { timestampNow } from '@bufbuild/protobuf/wkt';
import { type CallerIdentity, identityHeaders } from '@shannon/auth';
import { BusNames, type EventType, type SubscribeResponse, TaskEventSchema } from '@shannon/contracts';
import type { StreamingTestApp } from './streaming-test-app';

/** One task's run as a worker publishes it: lifecycle events and token deltas. */
export const RUN: EventType[] = ['WORKFLOW_STARTED', 'AGENT_STARTED', 'LLM_PROMPT', 'LLM_PARTIAL', 'LLM_PARTIAL', 'LLM_PARTIAL', 'LLM_OUTPUT', 'WORKFLOW_COMPLETED', 'STREAM_END'];

/** `3 TYPE` for an event, `gap 4-6` for a gap: what a subscriber saw, in order. */
export const show = (response: SubscribeResponse): string =>
  response.item.case === 'event' ? `${response.item.value.seq} ${response.item.value.type}` : `gap ${response.item.value?.fromSeq}-${response.item.value?.toSeq}`;

/** Publishing tasks' events and subscribing to them over real gRPC, against a running test app. */
export function subscribeHelpers(app: () => StreamingTestApp) {
  const as = (identity: CallerIdentity, signal?: AbortSignal) => ({ headers: identityHeaders(identity), signal });

  async function publish(owner: CallerIdentity, taskId: string, seq: number, type: EventType, msgId = BusNames.eventMessageId(taskId, seq)): Promise<number> {
    const event = create(TaskEventSchema, { workflowId: taskId, tenantId: owner.tenantId, userId: owner.userId, type, message: `${type} ${seq}`, timestamp: timestampNow(), seq: BigInt(seq) });
    const ack = await app().js.publish(app().names.taskEventSubject(owner.tenantId, taskId, event.type), toBinary(TaskEventSchema, event), { msgID: msgId });
    return ack.seq;
  }

  /** Publishes `types` as seqs from `firstSeq` on; resolves the stream sequence of the last. */
  async function publishRun(owner: CallerIdentity, taskId: string, types = RUN, firstSeq = 1): Promise<number> {
    let last = 0;
    for (const [i, type] of types.entries()) {
      last = await publish(owner, taskId, firstSeq + i, type);
    }
    return last;
  }

  async function readAll(owner: CallerIdentity, taskId: string, afterSeq = 0, types: string[] = []): Promise<string[]> {
    const seen: string[] = [];
    for await (const response of app().sut.subscribe({ taskId, afterSeq: BigInt(afterSeq), types }, as(owner))) {
      seen.push(show(response));
    }
    return seen;
  }

  /** Consumers on the EVENTS stream other than the event log's own durable one. */
  async function readerConsumers(): Promise<number> {
    const consumers = await app().jsm.consumers.list(app().names.eventsStream).next();
    return consumers.filter((c) => c.name !== app().names.eventLogConsumer).length;
  }

  return { as, publish, publishRun, readAll, readerConsumers };
}
