import { create, toBinary } from '@bufbuild/protobuf';
import { type CallerIdentity, identityHeaders } from '@shannon/auth';
import { TaskEventSchema } from '@shannon/contracts';
import { newIdentity } from '@shannon/testing';
import { randomUUID } from 'node:crypto';
import { type StreamingTestApp, startStreamingTestApp } from './streaming-test-app';

/** ListEventsForTasks: the logged events of a session's turns in one call, tenant by tenant. */
describe('streaming: events of several tasks', () => {
  const owner = newIdentity();
  const stranger = newIdentity();
  const [taskA, taskB, foreignTask] = [`task_a_${randomUUID()}`, `task_b_${randomUUID()}`, `task_x_${randomUUID()}`];
  let app: StreamingTestApp;

  const as = (identity: CallerIdentity) => ({ headers: identityHeaders(identity) });

  async function publish(identity: CallerIdentity, taskId: string, seq: number, type: string): Promise<number> {
    const event = create(TaskEventSchema, { workflowId: taskId, ...identity, type, agentId: 'orchestrator', seq: BigInt(seq), payload: { seq } });
    const ack = await app.js.publish(app.names.taskEventSubject(identity.tenantId, taskId, event.type), toBinary(TaskEventSchema, event), { msgID: `${taskId}:${seq}` });
    return ack.seq;
  }

  beforeAll(async () => {
    app = await startStreamingTestApp('batch');
    let last = 0;
    // Interleaved on the bus, as concurrent tasks are.
    for (const [identity, taskId, seq, type] of [
      [owner, taskB, 1, 'WORKFLOW_STARTED'],
      [owner, taskA, 1, 'WORKFLOW_STARTED'],
      [stranger, foreignTask, 1, 'WORKFLOW_STARTED'],
      [owner, taskA, 2, 'LLM_PARTIAL'],
      [owner, taskA, 3, 'LLM_OUTPUT'],
      [owner, taskB, 2, 'WORKFLOW_COMPLETED'],
      [owner, taskA, 4, 'WORKFLOW_COMPLETED'],
    ] as const) {
      last = await publish(identity, taskId, seq, type);
    }
    await app.waitForEventLogCaughtUp(last);
  });

  afterAll(async () => {
    await app?.stop();
  });

  it("returns each of the caller's tasks' events in seq order, leaving out another tenant's task", async () => {
    const answer = await app.sut.listEventsForTasks({ taskIds: [taskA, taskB, foreignTask], maxEvents: 100 }, as(owner));

    expect(answer.totalCount).toBe(5);
    const byTask = (taskId: string) => answer.events.filter((e) => e.workflowId === taskId).map((e) => [Number(e.seq), e.type]);
    expect(byTask(taskA)).toEqual([
      [1, 'WORKFLOW_STARTED'],
      [3, 'LLM_OUTPUT'],
      [4, 'WORKFLOW_COMPLETED'],
    ]);
    expect(byTask(taskB)).toEqual([
      [1, 'WORKFLOW_STARTED'],
      [2, 'WORKFLOW_COMPLETED'],
    ]);
    expect(byTask(foreignTask)).toEqual([]);
    expect(answer.events.every((e) => e.payload === undefined)).toBe(true);
  });

  it('adds payloads only when asked', async () => {
    const answer = await app.sut.listEventsForTasks({ taskIds: [taskA], includePayload: true }, as(owner));
    expect(answer.events.map((e) => e.payload)).toEqual([{ seq: 1 }, { seq: 3 }, { seq: 4 }]);
  });

  it('answers only the count when more events match than allowed', async () => {
    const answer = await app.sut.listEventsForTasks({ taskIds: [taskA, taskB], maxEvents: 4 }, as(owner));
    expect(answer).toMatchObject({ totalCount: 5, events: [] });
  });

  it('shows another tenant nothing', async () => {
    const answer = await app.sut.listEventsForTasks({ taskIds: [taskA, taskB] }, as(stranger));
    expect(answer).toMatchObject({ totalCount: 0, events: [] });
  });
});
