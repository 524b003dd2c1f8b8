import { newIdentity } from '@shannon/testing';
import { TaskRunRepository } from '../src/worker/task-run.repository';
import { TaskStack } from './support/task-stack';

/** The mock's old answer to 150 emoji: cut at 199 UTF-16 units, in the middle of an emoji. */
const CUT_MID_PAIR = `(mock) I received your request: "${'😀'.repeat(150).slice(0, 199)}…".`;

/** What the worker stores of text with lone surrogates, against the real database (no worker runs here). */
describe('storing text with a lone surrogate', () => {
  const stack = new TaskStack('unicode');
  let runs: TaskRunRepository;

  beforeAll(async () => {
    await stack.start({ worker: false });
    runs = stack.api.get(TaskRunRepository);
  }, 60_000);

  afterAll(() => stack.stop());

  async function claimedTask(): Promise<string> {
    const { taskId } = await stack.submit(newIdentity(), { query: 'What is 2 + 2?' });
    await runs.claim(taskId, 'worker-a', 10_000, 600);
    return taskId;
  }

  it('records a step whose output has a lone surrogate, with U+FFFD in its place', async () => {
    const taskId = await claimedTask();
    const output = { text: CUT_MID_PAIR, toolCalls: [], finishReason: 'stop', ['key\ude00']: ['\ud83d'] };

    await runs.recordStep(taskId, 'worker-a', 1, { key: 'llm:0', kind: 'llm', status: 'completed', output, inputTokens: 3, outputTokens: 5, estimatedCost: 0, durationMs: 7 }, 4n);

    const { rows } = await stack.db.query<{ output: Record<string, unknown> }>('SELECT output FROM task.task_steps WHERE task_id = $1', [taskId]);
    expect(rows).toEqual([{ output: { text: CUT_MID_PAIR.toWellFormed(), toolCalls: [], finishReason: 'stop', ['key\ufffd']: ['\ufffd'] } }]);
    expect((rows[0].output['text'] as string).endsWith('\ufffd…".')).toBe(true);
    const task = await stack.db.query('SELECT input_tokens, output_tokens, last_seq FROM task.tasks WHERE id = $1', [taskId]);
    expect(task.rows).toEqual([{ input_tokens: 3, output_tokens: 5, last_seq: '4' }]);
  });

  it('stores a result with a lone surrogate as text, with U+FFFD in its place', async () => {
    const taskId = await claimedTask();

    await expect(runs.finish(taskId, 'worker-a', { status: 'COMPLETED', result: CUT_MID_PAIR }, 0n)).resolves.toBe(true);

    const { rows } = await stack.db.query('SELECT status, result FROM task.tasks WHERE id = $1', [taskId]);
    expect(rows).toEqual([{ status: 'COMPLETED', result: CUT_MID_PAIR.toWellFormed() }]);
  });

  it('stores a result, an error and a step output with a NUL, with U+FFFD in its place', async () => {
    const taskId = await claimedTask();
    await runs.recordStep(taskId, 'worker-a', 1, { key: 'llm:0', kind: 'llm', status: 'completed', output: { text: 'x\u0000y' }, inputTokens: 1, outputTokens: 1, estimatedCost: 0, durationMs: 1 }, 1n);

    await expect(runs.finish(taskId, 'worker-a', { status: 'FAILED', result: 'r\u0000', error: 'e\u0000' }, 1n)).resolves.toBe(true);

    const task = await stack.db.query('SELECT status, result, error FROM task.tasks WHERE id = $1', [taskId]);
    expect(task.rows).toEqual([{ status: 'FAILED', result: 'r\ufffd', error: 'e\ufffd' }]);
    const steps = await stack.db.query('SELECT output FROM task.task_steps WHERE task_id = $1', [taskId]);
    expect(steps.rows).toEqual([{ output: { text: 'x\ufffdy' } }]);
  });
});

