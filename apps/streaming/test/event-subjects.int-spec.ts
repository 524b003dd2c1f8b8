import { create, toBinary } from '@bufbuild/protobuf';
import { identityHeaders } from '@shannon/auth';
import { EPHEMERAL_EVENT_TYPES, type EventType, TaskEventSchema } from '@shannon/contracts';
import { newIdentity } from '@shannon/testing';
import { randomUUID } from 'node:crypto';
import { type StreamingTestApp, startStreamingTestApp } from './streaming-test-app';

const RUN: EventType[] = ['WORKFLOW_STARTED', 'AGENT_STARTED', 'LLM_PROMPT', 'LLM_PARTIAL', 'LLM_PARTIAL', 'LLM_PARTIAL', 'LLM_OUTPUT', 'WORKFLOW_COMPLETED', 'STREAM_END'];
const LASTING = RUN.filter((type) => !EPHEMERAL_EVENT_TYPES.has(type));

/** Events are filed by class (ADR 0045): the event log is sent the lasting ones only. */
describe('streaming: event subjects', () => {
  const owner = newIdentity();
  const taskId = `task_${randomUUID()}`;
  let app: StreamingTestApp;
  let restarted: StreamingTestApp | undefined;

  beforeAll(async () => {
    app = await startStreamingTestApp('subjects');
  });

  afterAll(async () => {
    await restarted?.stop();
    await app?.stop();
  });

  it('never sends token deltas or prompts to the event log, and logs every other event', async () => {
    let last = 0;
    for (const [index, type] of RUN.entries()) {
      const event = create(TaskEventSchema, { workflowId: taskId, ...owner, type, agentId: 'agent', seq: BigInt(index + 1) });
      last = (await app.js.publish(app.names.taskEventSubject(owner.tenantId, taskId, type), toBinary(TaskEventSchema, event), { msgID: `${taskId}:${index + 1}` })).seq;
    }
    await app.waitForEventLogCaughtUp(last);

    const consumer = await app.jsm.consumers.info(app.names.eventsStream, app.names.eventLogConsumer);
    expect(consumer.delivered.consumer_seq).toBe(LASTING.length);
    const logged = await app.sut.listEventsForTasks({ taskIds: [taskId] }, { headers: identityHeaders(owner) });
    expect(logged.events.map((event) => event.type)).toEqual(LASTING);
  });

  it('moves an event-log consumer an earlier release made for every event to the lasting ones', async () => {
    await app.closeService();
    await app.jsm.consumers.update(app.names.eventsStream, app.names.eventLogConsumer, { filter_subject: app.names.allEventsSubject });

    restarted = await startStreamingTestApp('subjects', { NATS_NAMESPACE: app.namespace });

    const consumer = await app.jsm.consumers.info(app.names.eventsStream, app.names.eventLogConsumer);
    expect(consumer.config.filter_subject).toBe(app.names.lastingEventsSubject);
    expect(consumer.num_pending).toBe(0);
  });
});
