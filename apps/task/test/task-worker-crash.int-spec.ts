import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskStatus } from '@shannon/contracts';
import { newIdentity, waitFor } from '@shannon/testing';
import { eventShape, seqs } from './support/task-bus-reader';
import { TaskStack } from './support/task-stack';

const MAIN = join(__dirname, '../../../dist/apps/task/main.js');

interface WorkerProcess {
  id: string;
  child: ChildProcess;
}

/**
 * Real worker processes (the built task service with TASK_ROLE=worker): one is killed with
 * SIGKILL in the middle of a multi-step task, the other finishes it from the last finished step.
 */
describe('a worker killed in the middle of a task', () => {
  const stack = new TaskStack('crash');
  const dir = mkdtempSync(join(tmpdir(), 'task-crash-'));
  const callLog = join(dir, 'mock-calls.jsonl');
  const workers: WorkerProcess[] = [];

  function startWorker(id: string): WorkerProcess {
    const child = spawn(process.execPath, [MAIN], {
      cwd: join(MAIN, '..'),
      env: { ...process.env, ...stack.workerEnv({ WORKER_ID: id, MOCK_CALL_LOG: callLog, TASK_ACK_WAIT_MS: '1500', LOG_LEVEL: 'warn', WORKER_CONCURRENCY: '2' }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = createWriteStream(join(dir, `${id}.log`));
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const worker = { id, child };
    workers.push(worker);
    return worker;
  }

  const calls = (): { pid: number; taskId: string; step: string }[] =>
    existsSync(callLog)
      ? readFileSync(callLog, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as { pid: number; taskId: string; step: string })
      : [];

  beforeAll(async () => {
    if (!existsSync(MAIN)) {
      throw new Error(`Build the task service first (npx nx build task): ${MAIN} is missing`);
    }
    writeFileSync(callLog, '');
    await stack.start({ worker: false, env: { TASK_ACK_WAIT_MS: '1500' } });
    startWorker('worker-a');
    startWorker('worker-b');
    await waitFor(
      async () => {
        const consumer = await stack.jsm.consumers.info(stack.names.tasksStream, stack.names.taskWorkersConsumer).catch(() => undefined);
        return (consumer?.num_waiting ?? 0) >= 2 || undefined;
      },
      { timeoutMs: 30_000, description: `both workers to pull (logs in ${dir})` },
    );
  }, 60_000);

  afterAll(async () => {
    await Promise.all(
      workers.map(
        ({ child }) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) {
              resolve(undefined);
              return;
            }
            child.once('exit', resolve);
            child.kill('SIGKILL');
          }),
      ),
    );
    await stack.stop();
  }, 60_000);

  it('is finished by another worker: the result is stored once and no finished model call is repeated', async () => {
    const identity = newIdentity();
    const query = 'Write a 150 word essay about rivers; write a 150 word essay about lakes; write a 150 word essay about seas';
    const { taskId } = await stack.submit(identity, { query, mode: 'complex', maxConcurrentAgents: 1, context: { mock: { token_delay_ms: 4 } } });

    // Kill the worker holding the lease once two steps are finished and a third call is streaming.
    const { rows: leased } = await waitFor(
      async () => {
        const result = await stack.db.query<{ lease_owner: string; steps: string }>(
          `SELECT t.lease_owner, (SELECT count(*) FROM task.task_steps s WHERE s.task_id = t.id) AS steps FROM task.tasks t WHERE t.id = $1`,
          [taskId],
        );
        const running = calls().filter((call) => call.taskId === taskId).length;
        return result.rows[0]?.lease_owner && Number(result.rows[0].steps) >= 2 && running > Number(result.rows[0].steps) ? result : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 10, description: 'two finished steps and a third one in flight' },
    );
    const victim = workers.find((worker) => worker.id === leased[0].lease_owner);
    if (!victim) {
      throw new Error(`unknown lease owner ${leased[0].lease_owner}`);
    }
    victim.child.kill('SIGKILL');
    const { rows: finishedBeforeKill } = await stack.db.query<{ key: string }>('SELECT key FROM task.task_steps WHERE task_id = $1', [taskId]);
    const callsBeforeKill = calls().filter((call) => call.taskId === taskId);

    const done = await stack.waitForStatus(identity, taskId, TaskStatus.COMPLETED, 60_000);
    const events = await stack.finalEvents(identity, taskId);

    expect(done.attempts).toBe(2);
    expect(done.result.split('\n\n')).toHaveLength(3);
    // every model call finished before the crash ran exactly once, over both processes
    const taskCalls = calls().filter((call) => call.taskId === taskId);
    for (const { key } of finishedBeforeKill) {
      expect(taskCalls.filter((call) => call.step === key)).toHaveLength(1);
    }
    // only the call in flight at the crash was made again, by the survivor
    const repeated = [...new Set(taskCalls.map((call) => call.step))].filter((step) => taskCalls.filter((call) => call.step === step).length > 1);
    expect(repeated).toEqual([callsBeforeKill[callsBeforeKill.length - 1].step]);
    const survivorPid = workers.find((worker) => worker !== victim)?.child.pid;
    expect(taskCalls.slice(callsBeforeKill.length).every((call) => call.pid === survivorPid)).toBe(true);
    const { rows: steps } = await stack.db.query<{ key: string; attempt: number }>('SELECT key, attempt FROM task.task_steps WHERE task_id = $1', [taskId]);
    expect(steps.length).toBe(new Set(taskCalls.map((call) => call.step)).size);
    expect(steps.filter((step) => step.attempt === 1).map((step) => step.key).sort()).toEqual(finishedBeforeKill.map((row) => row.key).sort());
    // one result, one ending, one gap-free numbering across both workers
    const shape = eventShape(events);
    expect(shape.filter((type) => type === 'WORKFLOW_COMPLETED')).toHaveLength(1);
    expect(shape.filter((type) => type === 'STREAM_END')).toHaveLength(1);
    expect(shape.filter((type) => type === 'ERROR_RECOVERY')).toHaveLength(1);
    expect(seqs(events)).toEqual(events.map((_, index) => index + 1));
    const { rows } = await stack.db.query<{ completed_at: Date; status: string }>('SELECT completed_at, status FROM task.tasks WHERE id = $1', [taskId]);
    expect(rows).toEqual([{ completed_at: expect.any(Date), status: 'COMPLETED' }]);
  }, 90_000);
});
