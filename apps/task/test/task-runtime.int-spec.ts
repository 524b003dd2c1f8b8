import { timestampDate } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError } from '@connectrpc/connect';
import { jetstream } from '@nats-io/jetstream';
import { type TaskEvent, TaskStatus } from '@shannon/contracts';
import { newIdentity, waitFor } from '@shannon/testing';
import { randomBytes } from 'node:crypto';
import { tokenize } from '../src/llm/mock/tokenize';
import { eventShape, seqs } from './support/task-bus-reader';
import { PAUSED_EVERYWHERE, TaskStack } from './support/task-stack';

const PROMPT = ['LLM_PROMPT', 'LLM_PARTIAL*', 'LLM_OUTPUT'];
const TOOL_TURN = ['LLM_PROMPT', 'LLM_OUTPUT', 'TOOL_INVOKED', 'TOOL_OBSERVATION'];
const ESSAY = 'Write a 5000 word essay about rivers';

function expectGapFree(events: TaskEvent[]): void {
  expect(seqs(events)).toEqual(events.map((_, index) => index + 1));
}

/** The WORKFLOW_* events in order: the run's lifecycle and what it said of each control request. */
function workflowShape(events: TaskEvent[]): string[] {
  return events.map((event) => event.type).filter((type) => type.startsWith('WORKFLOW_'));
}

async function failureOf(call: Promise<unknown>): Promise<ConnectError> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ConnectError)) {
    throw new Error(`Expected a ConnectError, got ${String(error)}`);
  }
  return error;
}

/** The agent runtime end to end in-process: api + worker, real PostgreSQL and NATS, the mock model. */
describe('task runtime: strategies, control, budgets, failures', () => {
  const stack = new TaskStack('rt');

  beforeAll(async () => {
    await stack.start({ worker: true, env: { TASK_ACK_WAIT_MS: '3000', TASK_MAX_ATTEMPTS: '3', TASK_RETRY_BACKOFF_MS: '50' } });
    // Real database faults for two kinds of task: inserting their steps fails every time, for a
    // POISON-STEP task with an error of the database, for a POISON-DATA task with a data error
    // (jsonb refusing a lone surrogate, SQLSTATE 22P02).
    await stack.db.query(`CREATE OR REPLACE FUNCTION task.test_fail_poisoned_steps() RETURNS trigger AS $$
      BEGIN
        IF (SELECT query FROM task.tasks WHERE id = NEW.task_id) LIKE 'POISON-STEP%' THEN RAISE EXCEPTION 'injected fault for %', NEW.task_id; END IF;
        IF (SELECT query FROM task.tasks WHERE id = NEW.task_id) LIKE 'POISON-DATA%' THEN PERFORM '"\\ud83d"'::jsonb; END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await stack.db.query('DROP TRIGGER IF EXISTS test_fail_poisoned_steps ON task.task_steps');
    await stack.db.query('CREATE TRIGGER test_fail_poisoned_steps BEFORE INSERT ON task.task_steps FOR EACH ROW EXECUTE FUNCTION task.test_fail_poisoned_steps()');
  });

  afterAll(async () => {
    await stack.db?.query('DROP TRIGGER IF EXISTS test_fail_poisoned_steps ON task.task_steps').catch(() => undefined);
    await stack.stop();
  });

  describe('modes', () => {
    it('simple: one model call, streamed, with the events of the taxonomy', async () => {
      const identity = newIdentity();
      const { taskId } = await stack.submit(identity, { query: 'What is the capital of France?', mode: 'simple' });

      const done = await stack.waitForStatus(identity, taskId, TaskStatus.COMPLETED);
      const events = await stack.finalEvents(identity, taskId);

      expect(done.result).toBe('The capital of France is Paris.');
      expect(eventShape(events)).toEqual(['WORKFLOW_STARTED', 'AGENT_STARTED', ...PROMPT, 'AGENT_COMPLETED', 'WORKFLOW_COMPLETED', 'STREAM_END']);
      expectGapFree(events);
      const output = events.find((event) => event.type === 'LLM_OUTPUT');
      expect(output?.payload).toMatchObject({ provider: 'mock', model_used: 'mock-model-v1', cost_usd: 0, output_tokens: done.usage?.outputTokens });
      expect(await stack.steps(taskId)).toEqual([expect.objectContaining({ key: 'llm:0', kind: 'llm', status: 'completed', attempt: 1 })]);
    });

    it.each([
      ['150 emoji', '😀'.repeat(150)],
      ['"ab" and 150 emoji', `ab${'😀'.repeat(150)}`],
      ['5000 emoji (the longest query: 10,000 UTF-16 units)', '😀'.repeat(5000)],
    ])('simple: echoes %s and completes on the first delivery', async (_, query) => {
      const identity = newIdentity();
      const { taskId } = await stack.submit(identity, { query, mode: 'simple' });

      const done = await stack.waitForStatus(identity, taskId, TaskStatus.COMPLETED);
      const events = await stack.finalEvents(identity, taskId);

      expect(done.result).toMatch(/^\(mock\) I received your request: "(?:ab)?😀+…?"\. /u);
      expect(done.result.isWellFormed()).toBe(true);
      expect(done.attempts).toBe(1);
      expect(eventShape(events)).toEqual(['WORKFLOW_STARTED', 'AGENT_STARTED', ...PROMPT, 'AGENT_COMPLETED', 'WORKFLOW_COMPLETED', 'STREAM_END']);
      expect(events.filter((event) => event.type === 'LLM_PARTIAL').map((event) => event.message).join('')).toBe(done.result);
      expectGapFree(events);
    });

    it.each(['complex', 'supervisor'])('%s: an emoji query is cut whole in the events that quote it', async (mode) => {
      const identity = newIdentity();
      // 'a' first: 200 UTF-16 units end in the middle of an emoji.
      const { taskId } = await stack.submit(identity, { query: `a${'😀'.repeat(150)}`, mode });

      await stack.waitForStatus(identity, taskId, TaskStatus.COMPLETED);
      const events = await stack.finalEvents(identity, taskId);

      const thinking = events.find((event) => event.type === 'AGENT_THINKING');
      expect(thinking?.message).toBe(`Thinking about: a${'😀'.repeat(99)}`);
      expect(events.filter((event) => !event.message.isWellFormed())).toEqual([]);
    });

    it('a model faster than the bus: the deltas that come while one is in flight go as one event, the text whole and in order', async () => {
      const identity = newIdentity();
      const { taskId } = await stack.submit(identity, { query: 'Write a 300 word essay about rivers', mode: 'simple' });

      const done = await stack.waitForStatus(identity, taskId, TaskStatus.COMPLETED);
      const events = await stack.finalEvents(identity, taskId);

      const partials = events.filter((event) => event.type === 'LLM_PARTIAL').map((event) => event.message);
      expect(partials.join('')).toBe(done.result);
      expect(done.usage?.outputTokens).toBe(tokenize(done.result).length);
      expect(partials.length).toBeGreaterThan(1);
      expect(partials.length).toBeLessThan(tokenize(done.result).length / 4);
      expectGapFree(events);
    });

    it('standard: the model asks for the calculator, reads its result, answers', async () => {
      const identity = newIdentity();
      const { taskId } = await stack.submit(identity, { query: 'What is (17 * 23) + 4?', mode: 'standard' });

      const done = await stack.waitForStatus(identity, taskId, TaskStatus.COMPLETED);
      const events = await stack.finalEvents(identity, taskId);

      expect(done.result).toBe('(17 * 23) + 4 = 395.');
      expect(eventShape(events)).toEqual(['WORKFLOW_STARTED', 'AGENT_STARTED', ...TOOL_TURN, ...PROMPT, 'AGENT_COMPLETED', 'WORKFLOW_COMPLETED', 'STREAM_END']);
      expectGapFree(events);
      expect(events.find((event) => event.type === 'TOOL_INVOKED')?.payload).toMatchObject({ tool: 'calculator', params: { expression: '(17 * 23) + 4' } });
      expect(events.find((event) => event.type === 'TOOL_OBSERVATION')?.payload).toMatchObject({ tool: 'calculator', success: true });
      expect((await stack.steps(taskId)).map((step) => step.key).sort()).toEqual(['llm:0', 'llm:1', 'tool:0:0']);
    });

    it('complex: plan, subtasks (one at a time here), synthesis', async () => {
      const identity = newIdentity();
      const { taskId } = await stack.submit(identity, { query: 'What is the capital of France and what is 2 + 2?', mode: 'complex', maxConcurrentAgents: 1 });

      const done = await stack.waitForStatus(identity, taskId, TaskStatus.COMPLETED);
      const events = await stack.finalEvents(identity, taskId);

      expect(done.result).toBe('The capital of France is Paris.\n\n2 + 2 = 4.');
      expect(eventShape(events)).toEqual([
        'WORKFLOW_STARTED',
        ...['AGENT_STARTED', 'AGENT_THINKING', ...PROMPT, 'AGENT_COMPLETED', 'PROGRESS'],
        ...['AGENT_STARTED', ...PROMPT, 'AGENT_COMPLETED', 'PROGRESS'],
        ...['AGENT_STARTED', ...TOOL_TURN, ...PROMPT, 'AGENT_COMPLETED', 'PROGRESS'],
        ...['AGENT_STARTED', 'DATA_PROCESSING', ...PROMPT, 'AGENT_COMPLETED'],
        'WORKFLOW_COMPLETED',
        'STREAM_END',
      ]);
      expectGapFree(events);
      expect(events.filter((e) => e.type === 'AGENT_STARTED').map((e) => e.agentId)).toEqual(['planner', 'agent-1', 'agent-2', 'synthesizer']);
      expect(events.find((e) => e.type === 'PROGRESS')?.message).toBe('Got a plan — 2 steps');
    });

    it('complex: subtasks run in parallel up to max_concurrent_agents', async () => {
      const identity = newIdentity();
      const query = 'Write a 40 word essay about rivers; write a 40 word essay about lakes';
      const { taskId } = await stack.submit(identity, { query, mode: 'complex', maxConcurrentAgents: 2, context: { mock: { token_delay_ms: 3 } } });

      await stack.waitForStatus(identity, taskId, TaskStatus.COMPLETED);
      const events = await stack.finalEvents(identity, taskId);

      const started = events.filter((e) => e.type === 'AGENT_STARTED' && e.agentId.startsWith('agent-')).map((e) => Number(e.seq));
      const firstDone = Math.min(...events.filter((e) => e.type === 'AGENT_COMPLETED' && e.agentId.startsWith('agent-')).map((e) => Number(e.seq)));
      expect(started).toHaveLength(2);
      expect(Math.max(...started)).toBeLessThan(firstDone);
      expectGapFree(events);
    });

    it('supervisor: the lead delegates to helpers and writes the answer from their reports', async () => {
      const identity = newIdentity();
      const { taskId } = await stack.submit(identity, { query: 'What is the capital of France and what is 2 + 2?', mode: 'supervisor', maxConcurrentAgents: 1 });

      const done = await stack.waitForStatus(identity, taskId, TaskStatus.COMPLETED);
      const events = await stack.finalEvents(identity, taskId);

      expect(done.result).toBe('The capital of France is Paris.\n\n2 + 2 = 4.');
      expect(eventShape(events)).toEqual([
        'WORKFLOW_STARTED',
        ...['AGENT_STARTED', 'AGENT_THINKING', ...PROMPT, 'DELEGATION', 'DELEGATION'],
        ...['AGENT_STARTED', ...PROMPT, 'AGENT_COMPLETED', 'PROGRESS'],
        ...['AGENT_STARTED', ...TOOL_TURN, ...PROMPT, 'AGENT_COMPLETED', 'PROGRESS'],
        ...['DATA_PROCESSING', ...PROMPT, 'AGENT_COMPLETED'],
        'WORKFLOW_COMPLETED',
        'STREAM_END',
      ]);
      expect(events.filter((e) => e.type === 'DELEGATION').map((e) => e.payload?.['helper'])).toEqual(['helper-1', 'helper-2']);
      expectGapFree(events);
    });
  });

  describe('control', () => {
    it('cancel stops token production within 500 ms and keeps exactly the usage produced', async () => {
      const identity = newIdentity();
      const { taskId } = await stack.submit(identity, { query: ESSAY, mode: 'simple', context: { mock: { token_delay_ms: 10 } } });
      await waitFor(async () => (await stack.events(identity, taskId)).filter((e) => e.type === 'LLM_PARTIAL').length >= 20 || undefined, { description: 'tokens to flow' });

      const requestedAt = Date.now();
      const first = await stack.client.cancelTask({ taskId, reason: 'user asked' }, stack.as(identity));
      const cancelled = await stack.waitForStatus(identity, taskId, TaskStatus.CANCELLED);
      const events = await stack.finalEvents(identity, taskId);

      const partials = events.filter((e) => e.type === 'LLM_PARTIAL');
      const lastTimestamp = partials[partials.length - 1].timestamp;
      if (!lastTimestamp) {
        throw new Error('an event without a timestamp');
      }
      const lastToken = timestampDate(lastTimestamp).getTime();
      expect(lastToken - requestedAt).toBeLessThan(500);
      // Deltas that came while one was in flight went as one event (ADR 0051): count the mock's tokens in the text.
      expect(cancelled.usage?.outputTokens).toBe(tokenize(partials.map((e) => e.message).join('')).length);
      expect(cancelled.usage?.inputTokens).toBeGreaterThan(0);
      expect(cancelled.error).toBe('Cancelled: user asked');
      expect(cancelled.control).toMatchObject({ isCancelled: true, cancelReason: 'user asked', cancelledBy: identity.userId });
      expect(first.changed).toBe(true);
      expect(eventShape(events)).toEqual(['WORKFLOW_STARTED', 'AGENT_STARTED', ...PROMPT.slice(0, 2), 'WORKFLOW_CANCELLING', 'ERROR_OCCURRED', 'WORKFLOW_CANCELLED', 'STREAM_END']);
      expectGapFree(events);
      expect(await stack.steps(taskId)).toEqual([expect.objectContaining({ key: 'llm:0#cancel', status: 'aborted', output_tokens: partials.length })]);

      const again = await stack.client.cancelTask({ taskId, reason: 'twice' }, stack.as(identity));
      expect(again.changed).toBe(false);
      expect(again.task).toMatchObject({ status: TaskStatus.CANCELLED, error: 'Cancelled: user asked' });
    });

    it('refuses to cancel a finished task, and hides other tenants’ tasks', async () => {
      const identity = newIdentity();
      const { taskId } = await stack.submit(identity, { query: 'What is the capital of France?' });
      await stack.waitForStatus(identity, taskId, TaskStatus.COMPLETED);

      const finished = await failureOf(stack.client.cancelTask({ taskId }, stack.as(identity)));
      expect(finished.code).toBe(Code.FailedPrecondition);
      expect(finished.rawMessage).toBe('Task already completed');
      expect((await failureOf(stack.client.pauseTask({ taskId }, stack.as(identity)))).rawMessage).toBe('cannot pause completed task');
      expect((await failureOf(stack.client.cancelTask({ taskId }, stack.as(newIdentity())))).code).toBe(Code.NotFound);
    });

    it('pause holds at the next step boundary; resume continues from there', async () => {
      const identity = newIdentity();
      const query = 'Write a 60 word essay about rivers; write a 60 word essay about lakes; write a 60 word essay about seas';
      const { taskId } = await stack.submit(identity, { query, mode: 'complex', maxConcurrentAgents: 1, context: { mock: { token_delay_ms: 5 } } });
      await waitFor(async () => (await stack.events(identity, taskId)).some((e) => e.type === 'AGENT_STARTED' && e.agentId === 'agent-1') || undefined, {
        description: 'the first subtask to start',
      });

      await stack.client.pauseTask({ taskId, reason: 'lunch' }, stack.as(identity));
      // Paused on every read from the moment the pause is accepted, before the run holds (ADR 0015).
      expect(await stack.surfaces(identity, taskId)).toEqual(PAUSED_EVERYWHERE);
      const whilePaused = await stack.eventsWhen(identity, taskId, (events) => events.some((e) => e.type === 'WORKFLOW_PAUSED'), 'to say the run holds');
      const paused = (await stack.client.getTask({ taskId }, stack.as(identity))).task;
      expect(paused?.control).toMatchObject({ isPaused: true, pauseReason: 'lunch', pausedBy: identity.userId });
      expect(await stack.surfaces(identity, taskId)).toEqual(PAUSED_EVERYWHERE);
      const pausedAt = whilePaused.findIndex((e) => e.type === 'WORKFLOW_PAUSED');
      expect(pausedAt).toBeGreaterThan(whilePaused.findIndex((e) => e.type === 'WORKFLOW_PAUSING'));
      expect(whilePaused.slice(pausedAt + 1).filter((e) => e.type === 'LLM_PROMPT')).toEqual([]);
      const stepsWhilePaused = (await stack.steps(taskId)).length;
      expect(stepsWhilePaused).toBeGreaterThanOrEqual(2);
      expect((await failureOf(stack.client.pauseTask({ taskId }, stack.as(identity)))).rawMessage).toBe('task is already paused');

      await stack.client.resumeTask({ taskId }, stack.as(identity));
      const done = await stack.waitForStatus(identity, taskId, TaskStatus.COMPLETED, 30_000);
      const events = await stack.finalEvents(identity, taskId);

      expect(done.control?.isPaused).toBe(false);
      expect(workflowShape(events)).toEqual(['WORKFLOW_STARTED', 'WORKFLOW_PAUSING', 'WORKFLOW_PAUSED', 'WORKFLOW_RESUMED', 'WORKFLOW_COMPLETED']);
      expect(done.result.split('\n\n')).toHaveLength(3);
      expect(new Set((await stack.steps(taskId)).map((step) => step.key)).size).toBe((await stack.steps(taskId)).length);
      expectGapFree(events);
      expect((await failureOf(stack.client.resumeTask({ taskId }, stack.as(identity)))).rawMessage).toBe('cannot resume completed task');
    });

    it('withdraws a pause resumed before it holds with WORKFLOW_RESUMED; a pending pause can be cancelled', async () => {
      const identity = newIdentity();
      const { taskId } = await stack.submit(identity, { query: ESSAY, mode: 'simple', context: { mock: { token_delay_ms: 10 } } });
      await stack.eventsWhen(identity, taskId, (events) => events.some((e) => e.type === 'LLM_PARTIAL'), 'to stream tokens');
      const pausings = (count: number) => (events: TaskEvent[]) => events.filter((e) => e.type === 'WORKFLOW_PAUSING').length === count;

      // One model call, no step boundary until it ends: the pause stays pending.
      await stack.client.pauseTask({ taskId, reason: 'lunch' }, stack.as(identity));
      expect(await stack.surfaces(identity, taskId)).toEqual(PAUSED_EVERYWHERE);
      await stack.eventsWhen(identity, taskId, pausings(1), 'to announce the pause');
      await stack.client.resumeTask({ taskId }, stack.as(identity));
      expect(await stack.surfaces(identity, taskId)).toEqual({ status: TaskStatus.RUNNING, isPaused: false, listedAsPaused: false, listedAsRunning: true });
      await stack.eventsWhen(identity, taskId, (events) => events.some((e) => e.type === 'WORKFLOW_RESUMED'), 'to withdraw the pause');

      await stack.client.pauseTask({ taskId }, stack.as(identity));
      await stack.eventsWhen(identity, taskId, pausings(2), 'to announce the second pause');
      await stack.client.cancelTask({ taskId, reason: 'enough' }, stack.as(identity));
      const cancelled = await stack.waitForStatus(identity, taskId, TaskStatus.CANCELLED);
      const events = await stack.finalEvents(identity, taskId);

      expect(cancelled.control).toMatchObject({ isPaused: false, isCancelled: true, pauseReason: '' });
      expect(workflowShape(events)).toEqual(['WORKFLOW_STARTED', 'WORKFLOW_PAUSING', 'WORKFLOW_RESUMED', 'WORKFLOW_PAUSING', 'WORKFLOW_CANCELLING', 'WORKFLOW_CANCELLED']);
      expect(events.find((e) => e.type === 'WORKFLOW_RESUMED')?.message).toBe('Resumed before the pause took hold');
      expectGapFree(events);
    });

    it('ends a task that finishes before its pause holds as COMPLETED: pausing is followed by the end', async () => {
      const identity = newIdentity();
      const { taskId } = await stack.submit(identity, { query: 'Write a 300 word essay about rivers', mode: 'simple', context: { mock: { token_delay_ms: 10 } } });
      await stack.eventsWhen(identity, taskId, (events) => events.some((e) => e.type === 'LLM_PARTIAL'), 'to stream tokens');

      await stack.client.pauseTask({ taskId }, stack.as(identity));
      expect(await stack.surfaces(identity, taskId)).toEqual(PAUSED_EVERYWHERE);
      const done = await stack.waitForStatus(identity, taskId, TaskStatus.COMPLETED);
      const events = await stack.finalEvents(identity, taskId);

      expect(done.result.split(/\s+/).filter(Boolean)).toHaveLength(300);
      expect(await stack.surfaces(identity, taskId)).toEqual({ status: TaskStatus.COMPLETED, isPaused: false, listedAsPaused: false, listedAsRunning: false });
      expect(workflowShape(events)).toEqual(['WORKFLOW_STARTED', 'WORKFLOW_PAUSING', 'WORKFLOW_COMPLETED']);
      expect((await failureOf(stack.client.resumeTask({ taskId }, stack.as(identity)))).rawMessage).toBe('cannot resume completed task');
    });

    it('ends a task that outlives its timeout as TIMEOUT with the usage so far', async () => {
      const identity = newIdentity();
      const { taskId } = await stack.submit(identity, { query: ESSAY, mode: 'simple', context: { timeout_seconds: 1, mock: { token_delay_ms: 5 } } });

      const timedOut = await stack.waitForStatus(identity, taskId, TaskStatus.TIMEOUT);
      const events = await stack.finalEvents(identity, taskId);

      expect(timedOut.error).toMatch(/exceeded its timeout of 1 s/);
      expect(timedOut.usage?.outputTokens).toBe(events.filter((e) => e.type === 'LLM_PARTIAL').length);
      expect(eventShape(events).slice(-3)).toEqual(['ERROR_OCCURRED', 'WORKFLOW_FAILED', 'STREAM_END']);
      expectGapFree(events);
    });
  });

  describe('budgets and failures', () => {
    it('warns at 80 % of max_tokens and stops cleanly when the budget is spent', async () => {
      const identity = newIdentity();
      const query = 'Write a 100 word essay about rivers; write a 100 word essay about lakes; write a 100 word essay about seas';
      const { taskId } = await stack.submit(identity, { query, mode: 'complex', maxConcurrentAgents: 1, context: { max_tokens: 400 } });

      const failed = await stack.waitForStatus(identity, taskId, TaskStatus.FAILED);
      const events = await stack.finalEvents(identity, taskId);

      expect(failed.error).toMatch(/^Budget exhausted: .*of 400 tokens \(max_tokens\)/);
      const shape = eventShape(events);
      expect(shape).toContain('BUDGET_THRESHOLD');
      expect(shape.indexOf('BUDGET_THRESHOLD')).toBeLessThan(shape.indexOf('ERROR_OCCURRED'));
      expect(shape.filter((type) => type === 'BUDGET_THRESHOLD')).toHaveLength(1);
      expect(shape.slice(-2)).toEqual(['WORKFLOW_FAILED', 'STREAM_END']);
      expect((failed.usage?.totalTokens ?? 0)).toBeGreaterThanOrEqual(320);
      expect((failed.usage?.totalTokens ?? 0)).toBeLessThanOrEqual(400 + 200);
      expectGapFree(events);
    });

    it('sends an undecodable work item to the dead letters', async () => {
      const garbage = randomBytes(24);
      garbage[0] = 0xff;
      const ack = await jetstream(stack.nats).publish(stack.names.taskWorkSubject, garbage, { msgID: `garbage-${garbage.toString('hex')}` });

      const row = await waitFor(
        async () => (await stack.db.query<{ reason: string; deliveries: number; task_id: string | null }>('SELECT reason, deliveries, task_id FROM task.dead_letters WHERE payload = $1', [garbage])).rows[0],
        { description: 'the dead letter' },
      );
      expect(row).toEqual({ reason: 'Undecodable work item (not a TaskWorkItem)', deliveries: 1, task_id: null });
      await waitFor(async () => (await stack.jsm.consumers.info(stack.names.tasksStream, stack.names.taskWorkersConsumer)).ack_floor.stream_seq >= ack.seq || undefined, {
        description: 'the poison message to be terminated',
      });
    });

    it('retries a task whose steps cannot be stored, with back-off, then ends it FAILED with a dead letter', async () => {
      const identity = newIdentity();
      const { taskId } = await stack.submit(identity, { query: 'POISON-STEP What is the capital of France?', mode: 'simple' });

      const failed = await stack.waitForStatus(identity, taskId, TaskStatus.FAILED);
      const events = await stack.finalEvents(identity, taskId);

      expect(failed.error).toMatch(/^Gave up after 3 deliveries: .*injected fault/);
      expect(failed.attempts).toBe(3);
      const { rows } = await stack.db.query<{ deliveries: number }>('SELECT deliveries FROM task.dead_letters WHERE task_id = $1', [taskId]);
      expect(rows).toEqual([{ deliveries: 3 }]);
      expect(eventShape(events).filter((type) => type === 'ERROR_RECOVERY')).toHaveLength(2);
      expect(eventShape(events).slice(-3)).toEqual(['ERROR_OCCURRED', 'WORKFLOW_FAILED', 'STREAM_END']);
      expectGapFree(events);
    });

    it('ends a task whose data the database refuses FAILED on the first delivery, streaming it once', async () => {
      const identity = newIdentity();
      const { taskId } = await stack.submit(identity, { query: 'POISON-DATA What is the capital of France?', mode: 'simple' });

      const failed = await stack.waitForStatus(identity, taskId, TaskStatus.FAILED);
      const events = await stack.finalEvents(identity, taskId);

      expect(failed.error).toBe("The database refused this task's data (SQLSTATE 22P02), so it was not retried: invalid input syntax for type json");
      expect(failed.attempts).toBe(1);
      const { rows } = await stack.db.query<{ deliveries: number; reason: string }>('SELECT deliveries, reason FROM task.dead_letters WHERE task_id = $1', [taskId]);
      expect(rows).toEqual([{ deliveries: 1, reason: failed.error }]);
      expect(eventShape(events)).toEqual(['WORKFLOW_STARTED', 'AGENT_STARTED', 'LLM_PROMPT', 'LLM_PARTIAL*', 'ERROR_OCCURRED', 'WORKFLOW_FAILED', 'STREAM_END']);
      expect(events.find((event) => event.type === 'ERROR_OCCURRED')?.message).toBe(`Hit an issue: ${failed.error}`);
      expectGapFree(events);
    });

    it('leaves a finished task and its events unchanged when its work item is delivered again', async () => {
      const identity = newIdentity();
      const { taskId } = await stack.submit(identity, { query: 'What is 2 + 2?' });
      await stack.waitForStatus(identity, taskId, TaskStatus.COMPLETED);
      const before = (await stack.client.getTask({ taskId }, stack.as(identity))).task;
      const eventsBefore = await stack.finalEvents(identity, taskId);

      const { rows } = await stack.db.query<{ payload: Buffer }>('SELECT payload FROM task.outbox WHERE task_id = $1', [taskId]);
      const ack = await jetstream(stack.nats).publish(stack.names.taskWorkSubject, rows[0].payload, { msgID: `${taskId}:again` });
      await waitFor(async () => (await stack.jsm.consumers.info(stack.names.tasksStream, stack.names.taskWorkersConsumer)).ack_floor.stream_seq >= ack.seq || undefined, {
        description: 'the redelivery to be acked',
      });

      const after = (await stack.client.getTask({ taskId }, stack.as(identity))).task;
      expect(after).toBeDefined();
      expect(after).toEqual(before);
      expect(await stack.events(identity, taskId)).toHaveLength(eventsBefore.length);
    });
  });

  describe('submit checks what a run would trip over', () => {
    it.each([
      [{ providerOverride: 'nope' }, /provider_override/],
      [{ providerOverride: 'anthropic' }, /provider_override "anthropic" is not configured/],
      [{ modelOverride: 'gpt-9000' }, /model_override "gpt-9000"/],
      [{ modelOverride: 'gpt-4o-mini' }, /model_override "gpt-4o-mini" needs provider openai/],
      [{ context: { max_tokens: -5 } }, /context\.max_tokens must be a positive integer/],
      [{ context: { max_cost_usd: 0 } }, /context\.max_cost_usd must be a positive number/],
      [{ context: { timeout_seconds: 'soon' } }, /context\.timeout_seconds/],
    ])('rejects %j', async (request, message) => {
      const error = await failureOf(stack.client.submitTask({ query: 'hi', sessionId: '00000000-0000-4000-8000-000000000001', ...request }, stack.as(newIdentity())));
      expect(error.code).toBe(Code.InvalidArgument);
      expect(error.rawMessage).toMatch(message);
    });
  });
});
