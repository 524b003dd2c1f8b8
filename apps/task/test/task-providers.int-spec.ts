import { TaskStatus } from '@shannon/contracts';
import { newIdentity, waitFor } from '@shannon/testing';
import { OpenAiCompatibleServer } from './support/openai-compatible.server';
import { eventShape } from './support/task-bus-reader';
import { TaskStack } from './support/task-stack';

/** A worker on the openai provider against an OpenAI-compatible server over HTTP; a queued task cancelled with no worker. */
describe('task runtime on the openai provider', () => {
  const server = new OpenAiCompatibleServer();
  const stack = new TaskStack('prov');

  beforeAll(async () => {
    const baseUrl = await server.start();
    await stack.start({
      worker: true,
      env: { OPENAI_BASE_URL: baseUrl, OPENAI_API_KEY: 'sk-test', OPENAI_MODELS: 'tool-user,broken-500', LLM_MAX_RETRIES: '2', LLM_RETRY_BASE_MS: '1' },
    });
  });

  afterAll(async () => {
    await stack.stop();
    await server.stop();
  });

  it('prices a call from the catalog: usage and estimated cost on the task and the step', async () => {
    const identity = newIdentity();
    const { taskId } = await stack.submit(identity, { query: 'Say hello', mode: 'simple', providerOverride: 'openai', modelOverride: 'gpt-4o-mini' });

    const done = await stack.waitForStatus(identity, taskId, TaskStatus.COMPLETED);

    expect(done).toMatchObject({ result: 'Hello from the test server.', provider: 'openai', modelUsed: 'gpt-4o-mini' });
    expect(done.usage).toMatchObject({ inputTokens: 12, outputTokens: 5, totalTokens: 17 });
    expect(done.usage?.estimatedCost).toBeCloseTo((12 * 0.15 + 5 * 0.6) / 1e6, 12);
    const { rows } = await stack.db.query<{ estimated_cost: string }>('SELECT estimated_cost FROM task.task_steps WHERE task_id = $1', [taskId]);
    expect(Number(rows[0].estimated_cost)).toBeCloseTo(4.8e-6, 12);
  });

  it('runs the tool loop with a real provider (the first OPENAI_MODELS entry serves the tier)', async () => {
    const identity = newIdentity();
    const { taskId } = await stack.submit(identity, { query: 'What is 6 * 7?', mode: 'standard' });

    const done = await stack.waitForStatus(identity, taskId, TaskStatus.COMPLETED);

    expect(done).toMatchObject({ result: '6 * 7 is 42.', modelUsed: 'tool-user', provider: 'openai' });
    const events = await stack.finalEvents(identity, taskId);
    expect(events.find((e) => e.type === 'TOOL_OBSERVATION')?.message).toBe('{"expression":"6 * 7","result":"42"}');
  });

  it('ends FAILED with an actionable message when the provider keeps failing, after retrying', async () => {
    const identity = newIdentity();
    const { taskId } = await stack.submit(identity, { query: 'Say hello', mode: 'simple', modelOverride: 'broken-500' });

    const failed = await stack.waitForStatus(identity, taskId, TaskStatus.FAILED);
    const events = await stack.finalEvents(identity, taskId);

    expect(failed.error).toMatch(/^Model call failed: openai failed with 500: .*upstream exploded.*retry later/);
    expect(eventShape(events).filter((type) => type === 'ERROR_RECOVERY')).toHaveLength(2);
    expect(eventShape(events).slice(-3)).toEqual(['ERROR_OCCURRED', 'WORKFLOW_FAILED', 'STREAM_END']);
  });
});

describe('a queued task with no worker', () => {
  const stack = new TaskStack('queued');

  beforeAll(() => stack.start({ worker: false }));
  afterAll(() => stack.stop());

  it('is cancelled by the task service itself; a worker arriving later changes nothing', async () => {
    const identity = newIdentity();
    const { taskId } = await stack.submit(identity, { query: 'What is the capital of France?' });

    const { task, changed } = await stack.client.cancelTask({ taskId, reason: 'changed my mind' }, stack.as(identity));

    expect(changed).toBe(true);
    expect(task).toMatchObject({ status: TaskStatus.CANCELLED, error: 'Cancelled: changed my mind', usage: { totalTokens: 0 } });
    const events = await stack.finalEvents(identity, taskId);
    expect(events.map((e) => [e.type, Number(e.seq)])).toEqual([
      ['WORKFLOW_CANCELLING', 1],
      ['WORKFLOW_CANCELLED', 2],
      ['STREAM_END', 3],
    ]);

    await stack.startWorker();
    await waitFor(
      async () => {
        const consumer = await stack.jsm.consumers.info(stack.names.tasksStream, stack.names.taskWorkersConsumer);
        return consumer.num_pending === 0 && consumer.num_ack_pending === 0 && consumer.ack_floor.stream_seq > 0;
      },
      { description: 'the late worker to ack the work item' },
    );
    expect((await stack.client.getTask({ taskId }, stack.as(identity))).task?.status).toBe(TaskStatus.CANCELLED);
    expect(await stack.events(identity, taskId)).toHaveLength(3);
    const again = await stack.client.cancelTask({ taskId }, stack.as(identity));
    expect(again).toMatchObject({ changed: false, task: { status: TaskStatus.CANCELLED } });
  });
});
