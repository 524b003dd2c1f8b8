import { create, type JsonObject, toBinary } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { type CallerIdentity, identityHeaders } from '@shannon/auth';
import { BusNames, type EventType, TaskEventSchema } from '@shannon/contracts';
import { newIdentity } from '@shannon/testing';
import { randomUUID } from 'node:crypto';
import { EventLogRepository } from '../src/events/event-log.repository';
import { type StreamingTestApp, startStreamingTestApp } from './streaming-test-app';

interface PublishedEvent {
  seq: number;
  type: EventType;
  message: string;
  payload?: JsonObject;
}

const EVENTS: PublishedEvent[] = [
  { seq: 1, type: 'WORKFLOW_STARTED', message: 'Starting up' },
  { seq: 2, type: 'AGENT_STARTED', message: 'simple-agent is on it' },
  { seq: 3, type: 'LLM_PARTIAL', message: 'Paris' },
  { seq: 4, type: 'LLM_OUTPUT', message: 'The capital of France is Paris.', payload: { model_used: 'mock-model-v1', output_tokens: 8 } },
  // Text that array parameters must escape: quotes, backslashes, braces, commas, the word NULL.
  { seq: 5, type: 'WORKFLOW_COMPLETED', message: 'Done: "quoted", back\\slash, {braces}, NULL, ünïcode ✓', payload: { note: 'a "quote" \\ and {x}', list: [1, 'two', null] } },
];

/** The streaming service's event log, fed through the real EVENTS stream of its own namespace. */
describe('streaming event log', () => {
  const owner = newIdentity();
  const taskId = `task_${randomUUID()}`;
  const emittedAt = new Date('2026-11-24T10:00:00.123Z');
  let app: StreamingTestApp;

  const as = (identity: CallerIdentity) => ({ headers: identityHeaders(identity) });

  async function publish(event: PublishedEvent, msgId: string): Promise<number> {
    const message = create(TaskEventSchema, {
      workflowId: taskId,
      tenantId: owner.tenantId,
      userId: owner.userId,
      type: event.type,
      agentId: 'simple-agent',
      message: event.message,
      payload: event.payload,
      timestamp: timestampFromDate(new Date(emittedAt.getTime() + event.seq)),
      seq: BigInt(event.seq),
    });
    const ack = await app.js.publish(app.names.taskEventSubject(owner.tenantId, taskId, message.type), toBinary(TaskEventSchema, message), { msgID: msgId });
    expect(ack.duplicate).toBe(false);
    return ack.seq;
  }

  beforeAll(async () => {
    app = await startStreamingTestApp('streaming');
    let last = 0;
    for (const event of EVENTS) {
      last = await publish(event, BusNames.eventMessageId(taskId, event.seq));
    }
    await app.waitForEventLogCaughtUp(last);
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('keeps every lasting event of a task in seq order, without the token deltas', async () => {
    const answer = await app.sut.listEvents({ taskId }, as(owner));

    expect(answer.count).toBe(4);
    expect(answer.events.map((event) => [Number(event.seq), event.type])).toEqual([
      [1, 'WORKFLOW_STARTED'],
      [2, 'AGENT_STARTED'],
      [4, 'LLM_OUTPUT'],
      [5, 'WORKFLOW_COMPLETED'],
    ]);
    const output = answer.events[2];
    expect(output).toMatchObject({
      workflowId: taskId,
      tenantId: owner.tenantId,
      agentId: 'simple-agent',
      message: 'The capital of France is Paris.',
      payload: { model_used: 'mock-model-v1', output_tokens: 8 },
    });
    expect(output.timestamp && timestampDate(output.timestamp)).toEqual(new Date(emittedAt.getTime() + 4));
    const lasting = EVENTS.filter((event) => event.type !== 'LLM_PARTIAL');
    expect(answer.events.map((event) => event.message)).toEqual(lasting.map((event) => event.message));
    expect(answer.events[3].payload).toEqual(EVENTS[4].payload);
  });

  it('names the last logged seq of a task, to its tenant only (what a replay reads the log up to)', async () => {
    const log = app.get(EventLogRepository);

    await expect(log.lastSeq(owner.tenantId, taskId)).resolves.toBe(5n);
    await expect(log.lastSeq(newIdentity().tenantId, taskId)).resolves.toBeUndefined();
    await expect(log.lastSeq(owner.tenantId, `task_${randomUUID()}`)).resolves.toBeUndefined();
  });

  it("shows another tenant nothing of this task's log", async () => {
    const answer = await app.sut.listEvents({ taskId }, as(newIdentity()));

    expect(answer.count).toBe(0);
    expect(answer.events).toEqual([]);
  });

  it('stores a redelivered event once', async () => {
    const redelivered = await publish({ ...EVENTS[1], message: 'a second copy' }, `${BusNames.eventMessageId(taskId, 2)}:redelivery`);
    await app.waitForEventLogCaughtUp(redelivered);

    const answer = await app.sut.listEvents({ taskId }, as(owner));

    expect(answer.count).toBe(4);
    expect(answer.events.filter((event) => event.seq === 2n).map((event) => event.message)).toEqual(['simple-agent is on it']);
  });

  it('stores a payload with a lone surrogate (model text cut mid-pair), with U+FFFD in its place', async () => {
    const log = app.get(EventLogRepository);
    const cutTaskId = `task_${randomUUID()}`;
    const cut = 'ab😀'.slice(0, 3);

    await log.insertMany([{ taskId: cutTaskId, seq: 1n, tenantId: owner.tenantId, type: 'DELEGATION', agentId: 'lead', message: cut, payload: { task: cut, [cut]: [cut] }, timestamp: emittedAt }]);

    const [row] = await log.after(owner.tenantId, cutTaskId, 0n, 10);
    expect(row).toMatchObject({ message: 'ab\ufffd', payload: { task: 'ab\ufffd', 'ab\ufffd': ['ab\ufffd'] } });
  });

  it('stores an event whose text has a NUL (model or tool output), with U+FFFD in its place, and the rest of its batch with it', async () => {
    const log = app.get(EventLogRepository);
    const nulTaskId = `task_${randomUUID()}`;

    await log.insertMany([
      { taskId: nulTaskId, seq: 1n, tenantId: owner.tenantId, type: 'LLM_OUTPUT', agentId: 'lead', message: 'a\u0000b', payload: { text: 'c\u0000d', ['k\u0000']: 1 }, timestamp: emittedAt },
      { taskId: nulTaskId, seq: 2n, tenantId: owner.tenantId, type: 'AGENT_COMPLETED', agentId: 'lead', message: 'done', payload: {}, timestamp: emittedAt },
    ]);

    const rows = await log.after(owner.tenantId, nulTaskId, 0n, 10);
    expect(rows.map((row) => row.seq)).toEqual([1n, 2n]);
    expect(rows[0]).toMatchObject({ message: 'a\ufffdb', payload: { text: 'c\ufffdd', 'k\ufffd': 1 } });
  });
});

