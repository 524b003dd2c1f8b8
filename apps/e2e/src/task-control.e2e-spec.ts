import { waitFor } from '@shannon/testing';
import { type RunningStack, startTestStack } from './running-stack';
import { json } from './task-api';

const HEADERS = { 'X-API-Key': 'sk_test_123456', 'Content-Type': 'application/json' };

describe('task control over the gateway (built services as processes)', () => {
  let stack: RunningStack;

  beforeAll(async () => {
    stack = await startTestStack();
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('pauses, resumes, cancels a long task; every read tells the pause; a finished task answers 409', async () => {
    const read = async (path: string) => json(await stack.api(path, { headers: HEADERS }));
    const listed = async (status: string) => ((await read(`/api/v1/tasks?status=${status}&limit=100`)).tasks as { task_id: string }[]).map((task) => task.task_id);
    const submit = await json(
      await stack.api('/api/v1/tasks', { method: 'POST', headers: HEADERS, body: JSON.stringify({ query: 'Write a 5000 word essay about rivers', mode: 'simple', context: { mock: { token_delay_ms: 5 } } }) }),
    );
    const id = submit.task_id as string;
    await waitFor(async () => (await json(await stack.api(`/api/v1/tasks/${id}`, { headers: HEADERS }))).status === 'TASK_STATUS_RUNNING' || undefined, { description: 'the task to run' });

    const pause = await stack.api(`/api/v1/tasks/${id}/pause`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ reason: 'wait' }) });
    expect(pause.status).toBe(202);
    expect(await json(pause)).toEqual({ success: true, message: 'Pause signal sent', task_id: id });
    const state = await json(await stack.api(`/api/v1/tasks/${id}/control-state`, { headers: HEADERS }));
    expect(state).toMatchObject({ is_paused: true, is_cancelled: false, pause_reason: 'wait', cancel_reason: '', cancelled_by: '' });
    expect(Date.parse(state.paused_at)).toBeGreaterThan(0);
    // Paused on every read at once, while the one model call still runs (ADR 0015).
    expect((await read(`/api/v1/tasks/${id}`)).status).toBe('TASK_STATUS_PAUSED');
    expect(await listed('PAUSED')).toContain(id);
    expect(await listed('running')).not.toContain(id);
    const again = await stack.api(`/api/v1/tasks/${id}/pause`, { method: 'POST', headers: HEADERS });
    expect(again.status).toBe(409);
    expect(await json(again)).toMatchObject({ error: 'task is already paused' });
    const resume = await stack.api(`/api/v1/tasks/${id}/resume`, { method: 'POST', headers: HEADERS });
    expect(resume.status).toBe(202);
    expect((await read(`/api/v1/tasks/${id}`)).status).toBe('TASK_STATUS_RUNNING');
    expect(await listed('PAUSED')).not.toContain(id);
    expect((await read(`/api/v1/tasks/${id}/control-state`)).is_paused).toBe(false);
    // The pause never held: the resume withdraws it on the stream.
    const withdrawn = await waitFor(
      async () => {
        const types = ((await read(`/api/v1/tasks/${id}/events?limit=200`)).events as { type: string }[]).map((event) => event.type);
        return types.includes('WORKFLOW_RESUMED') ? types : undefined;
      },
      { description: 'the pause to be withdrawn' },
    );
    expect(withdrawn.filter((type) => type.startsWith('WORKFLOW_'))).toEqual(['WORKFLOW_STARTED', 'WORKFLOW_PAUSING', 'WORKFLOW_RESUMED']);

    const cancel = await stack.api(`/api/v1/tasks/${id}/cancel`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ reason: 'enough' }) });
    expect(cancel.status).toBe(202);
    expect(await json(cancel)).toEqual({ success: true, message: 'Task cancelled successfully' });
    const cancelled = await waitFor(
      async () => {
        const status = await json(await stack.api(`/api/v1/tasks/${id}`, { headers: HEADERS }));
        return status.status === 'TASK_STATUS_CANCELLED' ? status : undefined;
      },
      { description: 'the task to be cancelled' },
    );
    expect(cancelled.error).toBe('Cancelled: enough');
    expect((await stack.api(`/api/v1/tasks/${id}/cancel`, { method: 'POST', headers: HEADERS })).status).toBe(202);
    expect((await json(await stack.api(`/api/v1/tasks/${id}/control-state`, { headers: HEADERS }))).is_cancelled).toBe(true);

    const quick = await json(await stack.api('/api/v1/tasks', { method: 'POST', headers: HEADERS, body: JSON.stringify({ query: 'What is the capital of France?' }) }));
    await waitFor(async () => (await json(await stack.api(`/api/v1/tasks/${quick.task_id}`, { headers: HEADERS }))).status === 'TASK_STATUS_COMPLETED' || undefined, {
      description: 'the quick task to finish',
    });
    const late = await stack.api(`/api/v1/tasks/${quick.task_id}/cancel`, { method: 'POST', headers: HEADERS });
    expect(late.status).toBe(409);
    expect(await json(late)).toMatchObject({ error: 'Task already completed' });
    expect((await stack.api('/api/v1/tasks/task_unknown/control-state', { headers: HEADERS })).status).toBe(404);
  });

  it('refuses an unknown provider or a bad budget at submit with 400 naming the field', async () => {
    const bad = async (body: object) => {
      const response = await stack.api('/api/v1/tasks', { method: 'POST', headers: HEADERS, body: JSON.stringify({ query: 'hi', ...body }) });
      expect(response.status).toBe(400);
      return (await json(response)).error as string;
    };
    expect(await bad({ provider_override: 'acme' })).toMatch(/provider_override/);
    expect(await bad({ model_override: 'gpt-9000' })).toMatch(/model_override/);
    expect(await bad({ context: { max_cost_usd: -1 } })).toMatch(/context\.max_cost_usd/);
  });
});
