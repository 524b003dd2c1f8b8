import { newIdentity } from '@shannon/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TaskRepository } from '../src/tasks/task.repository';
import { TaskRunRepository } from '../src/worker/task-run.repository';
import { TaskStack } from './support/task-stack';

/** The worker's claim against the real database (no worker runs here, so tasks stay queued). */
describe('claiming a task', () => {
  const stack = new TaskStack('claim');
  let runs: TaskRunRepository;
  let tasks: TaskRepository;

  /** Seconds from the task's start to its deadline. */
  const timeoutOf = (task: { startedAt: Date | null; deadlineAt: Date | null } | null | undefined) => ((task?.deadlineAt?.getTime() ?? NaN) - (task?.startedAt?.getTime() ?? NaN)) / 1000;

  beforeAll(async () => {
    await stack.start({ worker: false });
    runs = stack.api.get(TaskRunRepository);
    tasks = stack.api.get(TaskRepository);
  }, 60_000);

  afterAll(() => stack.stop());

  it('hands back the claimed row as stored, with the deadline from the task’s own timeout', async () => {
    const { taskId } = await stack.submit(newIdentity(), { query: 'What is 2 + 2?', context: { timeout_seconds: 30 } });

    const claim = await runs.claim(taskId, 'worker-a', 10_000, 600);
    const stored = await tasks.findById(taskId);

    expect(claim).toEqual({ kind: 'claimed', task: stored });
    expect(stored).toMatchObject({ status: 'RUNNING', attempts: 1, leaseOwner: 'worker-a', timeoutSeconds: 30 });
    expect(timeoutOf(stored)).toBe(30);
  });

  it('fixes the deadline from the worker’s default for a task without a timeout, and tells another worker when the lease ends', async () => {
    const { taskId } = await stack.submit(newIdentity(), { query: 'What is 2 + 2?' });

    const claim = await runs.claim(taskId, 'worker-a', 10_000, 600);
    const taken = await runs.claim(taskId, 'worker-b', 10_000, 600);

    expect(claim.kind).toBe('claimed');
    const task = claim.kind === 'claimed' ? claim.task : undefined;
    expect(timeoutOf(task)).toBe(600);
    expect(taken).toEqual({ kind: 'leased', task, retryInMs: expect.any(Number) });
    expect(taken.kind === 'leased' && taken.retryInMs).toBeGreaterThan(9_000);
  });

  it('gives a task queued before the timeout column its submitted timeout (the backfill migration)', async () => {
    const { taskId } = await stack.submit(newIdentity(), { query: 'What is 2 + 2?', context: { timeout_seconds: 45 } });
    await stack.db.query('UPDATE task.tasks SET timeout_seconds = NULL WHERE id = $1', [taskId]);

    await stack.db.query(readFileSync(join(__dirname, '../prisma/migrations/20261202090100_backfilled_task_timeout/migration.sql'), 'utf8'));
    const claim = await runs.claim(taskId, 'worker-a', 10_000, 600);

    expect(claim.kind === 'claimed' && timeoutOf(claim.task)).toBe(45);
  });

  it('says finished for a task that ended and missing for one that does not exist', async () => {
    const { taskId } = await stack.submit(newIdentity(), { query: 'What is 2 + 2?' });
    await runs.claim(taskId, 'worker-a', 10_000, 600);
    await runs.finish(taskId, 'worker-a', { status: 'COMPLETED', result: '4' }, 0n);

    await expect(runs.claim(taskId, 'worker-b', 10_000, 600)).resolves.toEqual({ kind: 'finished', task: expect.objectContaining({ id: taskId, status: 'COMPLETED' }) });
    await expect(runs.claim('task_01HQZX3Y9K8M2P4N5S7T9W2V00', 'worker-b', 10_000, 600)).resolves.toEqual({ kind: 'missing' });
  });
});
