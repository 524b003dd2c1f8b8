import { TaskStatus } from '@shannon/contracts';
import { failureOf, newIdentity } from '@shannon/testing';
import { eventShape } from './support/task-bus-reader';
import { PAUSED_EVERYWHERE, TaskStack } from './support/task-stack';

const QUEUED_EVERYWHERE = { status: TaskStatus.QUEUED, isPaused: false, listedAsPaused: false, listedAsRunning: false };

/** Pause, resume and cancel of a task no worker has claimed yet; a worker joins for the last test. */
describe('control of a task no worker has claimed', () => {
  const stack = new TaskStack('qctl');

  beforeAll(async () => {
    await stack.start({ worker: false, env: { TASK_ACK_WAIT_MS: '3000' } });
  }, 60_000);

  afterAll(() => stack.stop());

  it('reads PAUSED everywhere once paused and QUEUED again once resumed, with no event', async () => {
    const identity = newIdentity();
    const { taskId } = await stack.submit(identity, { query: 'What is 2 + 2?' });

    await stack.client.pauseTask({ taskId, reason: 'not yet' }, stack.as(identity));
    expect(await stack.surfaces(identity, taskId)).toEqual(PAUSED_EVERYWHERE);
    expect((await failureOf(stack.client.pauseTask({ taskId }, stack.as(identity)))).rawMessage).toBe('task is already paused');
    await stack.client.resumeTask({ taskId }, stack.as(identity));

    expect(await stack.surfaces(identity, taskId)).toEqual(QUEUED_EVERYWHERE);
    expect(await stack.listed(identity, TaskStatus.QUEUED)).toEqual([taskId]);
    expect(await stack.events(identity, taskId)).toEqual([]);
  });

  it('cancels a task paused before it started at once, without a worker', async () => {
    const identity = newIdentity();
    const { taskId } = await stack.submit(identity, { query: 'What is 2 + 2?' });
    await stack.client.pauseTask({ taskId }, stack.as(identity));

    const { task, changed } = await stack.client.cancelTask({ taskId, reason: 'changed my mind' }, stack.as(identity));
    const events = await stack.finalEvents(identity, taskId);

    expect(changed).toBe(true);
    expect(task).toMatchObject({ status: TaskStatus.CANCELLED, error: 'Cancelled: changed my mind', control: { isPaused: false, isCancelled: true } });
    expect(eventShape(events)).toEqual(['WORKFLOW_CANCELLING', 'WORKFLOW_CANCELLED', 'STREAM_END']);
    expect(await stack.listed(identity, TaskStatus.PAUSED)).toEqual([]);
  });

  it('holds a task paused while queued as soon as a worker claims it; resumed, it runs to the end', async () => {
    const identity = newIdentity();
    const { taskId } = await stack.submit(identity, { query: 'What is the capital of France?' });
    await stack.client.pauseTask({ taskId }, stack.as(identity));

    await stack.startWorker();
    await stack.eventsWhen(identity, taskId, (events) => events.some((e) => e.type === 'WORKFLOW_PAUSED'), 'to say the run holds');
    expect(await stack.surfaces(identity, taskId)).toEqual(PAUSED_EVERYWHERE);
    await stack.client.resumeTask({ taskId }, stack.as(identity));
    const done = await stack.waitForStatus(identity, taskId, TaskStatus.COMPLETED);
    const events = await stack.finalEvents(identity, taskId);

    expect(done.result).toBe('The capital of France is Paris.');
    expect(eventShape(events)).toEqual([
      'WORKFLOW_STARTED',
      'WORKFLOW_PAUSING',
      'AGENT_STARTED',
      'WORKFLOW_PAUSED',
      'WORKFLOW_RESUMED',
      'LLM_PROMPT',
      'LLM_PARTIAL*',
      'LLM_OUTPUT',
      'AGENT_COMPLETED',
      'WORKFLOW_COMPLETED',
      'STREAM_END',
    ]);
  });
});
