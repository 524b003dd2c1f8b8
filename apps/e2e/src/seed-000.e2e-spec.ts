import { randomUUID } from 'node:crypto';
import { MAX_CONTEXT_DEPTH } from '@shannon/contracts';
import { waitFor } from '@shannon/testing';
import { type RunningStack, startTestStack } from './running-stack';
import { json } from './task-api';

const API_KEY = { 'X-API-Key': 'sk_test_123456' };
/** Response bodies are checked field by field by the assertions. */
const JSON_HEADERS = { ...API_KEY, 'Content-Type': 'application/json' };

describe('seed 000: submit, poll, retrieve (built services as processes)', () => {
  let stack: RunningStack;

  beforeAll(async () => {
    stack = await startTestStack();
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers "What is the capital of France?" through gateway, session, task, bus, worker and mock model', async () => {
    const submit = await stack.api('/api/v1/tasks', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ query: 'What is the capital of France?' }) });
    expect(submit.status).toBe(200);
    const body = await json(submit);
    expect(body).toEqual({
      task_id: expect.stringMatching(/^task_[0-9A-HJKMNP-TV-Z]{26}$/),
      workflow_id: body.task_id,
      session_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'submitted',
      message: expect.stringContaining(body.session_id),
      created_at: expect.any(String),
    });
    expect(submit.headers.get('x-workflow-id')).toBe(body.task_id);
    expect(submit.headers.get('x-session-id')).toBe(body.session_id);

    const done = await waitFor(
      async () => {
        const status = await json(await stack.api(`/api/v1/tasks/${body.task_id}`, { headers: API_KEY }));
        return status.status === 'TASK_STATUS_COMPLETED' || status.status === 'TASK_STATUS_FAILED' ? status : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 50, description: 'the task to finish' },
    );
    expect(done).toMatchObject({
      task_id: body.task_id,
      status: 'TASK_STATUS_COMPLETED',
      result: 'The capital of France is Paris.',
      query: 'What is the capital of France?',
      session_id: body.session_id,
      provider: 'mock',
      model_used: 'mock-model-v1',
    });
    expect(done.usage.output_tokens).toBeGreaterThan(0);
    expect(done.usage.total_tokens).toBe(done.usage.input_tokens + done.usage.output_tokens);
    expect(Date.parse(done.completed_at)).toBeGreaterThanOrEqual(Date.parse(done.created_at));

    // Read at once, as the seed's client does after its loop: the history is whole (ADR 0049).
    const events = await json(await stack.api(`/api/v1/tasks/${body.task_id}/events`, { headers: API_KEY }));
    const types = events.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(['WORKFLOW_STARTED', 'AGENT_STARTED', 'LLM_OUTPUT', 'AGENT_COMPLETED', 'WORKFLOW_COMPLETED', 'STREAM_END']);

    const list = await json(await stack.api('/api/v1/tasks?limit=5&status=completed', { headers: API_KEY }));
    expect(list.tasks[0]).toMatchObject({ task_id: body.task_id, status: 'TASK_STATUS_COMPLETED', mode: expect.stringMatching(/^EXECUTION_MODE_(SIMPLE|STANDARD|COMPLEX)$/) });
    expect(list.total_count).toBeGreaterThanOrEqual(1);
  });

  it('reports readiness of every service and dependency, health and the OpenAPI document', async () => {
    const readiness = await stack.api('/readiness');
    expect(readiness.status).toBe(200);
    expect((await json(readiness)).checks).toEqual({
      auth: 'ok',
      session: 'ok',
      task: 'ok',
      streaming: 'ok',
      postgres: 'ok',
      nats: 'ok',
      redis: 'ok',
    });
    expect(await json(await stack.api('/health'))).toMatchObject({ status: 'healthy' });
    const openapi = await json(await stack.api('/openapi.json'));
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/api/v1/tasks', '/api/v1/tasks/{id}', '/api/v1/tasks/{id}/events', '/health', '/readiness']));
    expect(openapi.components.schemas.EventType.enum).toContain('LLM_PARTIAL');
    expect(openapi.components.schemas.CreateTaskDto.required).toEqual(['query']);
    // The process's own gauges sit beside the platform's counters.
    const metrics = await (await stack.api('/metrics')).text();
    expect(Number(/^process_resident_memory_bytes (\d+)/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(metrics).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
  });

  describe('bad input gets a 4xx naming the problem and stores nothing', () => {
    const cases: [string, RequestInit, number, string | RegExp][] = [
      ['missing query', { body: '{}' }, 400, 'Query is required'],
      ['blank query', { body: JSON.stringify({ query: '   ' }) }, 400, 'Query is required'],
      ['oversized query', { body: JSON.stringify({ query: 'x'.repeat(10_001) }) }, 400, /^Query too long/],
      ['query of the wrong type', { body: JSON.stringify({ query: 42 }) }, 400, 'query must be a string'],
      ['context of the wrong type', { body: JSON.stringify({ query: 'q', context: 'x' }) }, 400, 'context must be an object'],
      ['unknown mode', { body: JSON.stringify({ query: 'q', mode: 'turbo' }) }, 400, /^Invalid mode/],
      ['max_iterations out of range', { body: JSON.stringify({ query: 'q', max_iterations: 51 }) }, 400, 'max_iterations out of range (1..50)'],
      ['bad session id', { body: JSON.stringify({ query: 'q', session_id: 'no spaces allowed' }) }, 400, 'Invalid session_id format'],
      ['bad mock pacing', { body: JSON.stringify({ query: 'q', context: { mock: { token_delay_ms: -1 } } }) }, 400, /context\.mock\.token_delay_ms/],
      ['malformed JSON', { body: '{"query": ' }, 400, /^Invalid request body/],
      ['a __proto__ key', { body: '{"query":"q","context":{"__proto__":{"x":1}}}' }, 400, 'Invalid request body: "__proto__" and "constructor.prototype" keys are not allowed'],
      ['a JSON array', { body: '[1,2]' }, 400, /.+/],
      ['wrong content type', { body: 'query=hi', headers: { ...API_KEY, 'Content-Type': 'text/plain' } }, 415, /content type/i],
      ['a body over the limit', { body: JSON.stringify({ query: 'q', context: { pad: 'x'.repeat(3 * 1024 * 1024) } }) }, 413, /too large/],
    ];

    /** How many tasks and sessions the development user has. */
    const stored = async () =>
      Promise.all(['/api/v1/tasks?limit=1', '/api/v1/sessions?limit=1'].map(async (path) => (await json(await stack.api(path, { headers: API_KEY }))).total_count));

    it.each([
      ...cases,
      // Refused by the task service, after the session service started the submit's session: that session goes too.
      ['unknown model_override', { body: JSON.stringify({ query: 'q', model_override: 'no-such-model' }) }, 400, /^Invalid model_override/],
    ] as typeof cases)('%s', async (_label, init, status, message) => {
      const before = await stored();
      const response = await stack.api('/api/v1/tasks', { method: 'POST', headers: JSON_HEADERS, ...init });
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = await json(response);
      expect(body.error).toEqual(typeof message === 'string' ? message : expect.stringMatching(message));
      expect(await stored()).toEqual(before);
    });

    /** A context `levels` deep (itself the first): `{"k":[[...]]}`. */
    const deepContext = (levels: number) => `{"query":"hi","context":{"k":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}}`;
    // These failed with a 500 in a service after the session was created (an empty session was left).
    const refusedAtTheGateway: [string, string, string | RegExp][] = [
      ['a NUL in the query', '{"query":"a\\u0000b"}', 'query must not contain the NUL character'],
      ['a NUL in a context value', '{"query":"hi","context":{"a":"\\u0000"}}', 'context.a must not contain the NUL character'],
      ['a NUL in a context key', '{"query":"hi","context":{"a\\u0000":"x"}}', 'a key of context must not contain the NUL character: "a\\u0000"'],
      ['a lone surrogate in the context', '{"query":"hi","context":{"a":["\\ud83d"]}}', 'context.a[0] must be well-formed Unicode text'],
      ['a lone surrogate in the query', '{"query":"\\ude00"}', 'query must be well-formed Unicode text'],
      [`a context ${MAX_CONTEXT_DEPTH + 1} levels deep`, deepContext(MAX_CONTEXT_DEPTH + 1), `context is nested too deeply (at most ${MAX_CONTEXT_DEPTH} levels)`],
      ['a context 50 levels deep (the task service could not decode it)', deepContext(50), `context is nested too deeply (at most ${MAX_CONTEXT_DEPTH} levels)`],
      ['a context 2,000 levels deep (the gateway could not encode it)', deepContext(2_000), /^Request body is nested too deeply/],
    ];

    it.each(refusedAtTheGateway)('%s: no task and no session', async (_label, body, message) => {
      const count = async () => [
        (await json(await stack.api('/api/v1/tasks?limit=1', { headers: API_KEY }))).total_count,
        (await json(await stack.api('/api/v1/sessions?limit=1', { headers: API_KEY }))).total_count,
      ];
      const before = await count();
      const response = await stack.api('/api/v1/tasks', { method: 'POST', headers: JSON_HEADERS, body });
      expect(response.status).toBe(400);
      expect(await json(response)).toEqual({ error: typeof message === 'string' ? message : expect.stringMatching(message) });
      expect(await count()).toEqual(before);
    });

    it(`runs a task whose context is nested ${MAX_CONTEXT_DEPTH} levels deep, the most it may`, async () => {
      const submit = await stack.api('/api/v1/tasks', { method: 'POST', headers: JSON_HEADERS, body: deepContext(MAX_CONTEXT_DEPTH) });
      expect(submit.status).toBe(200);
      const { task_id } = await json(submit);
      const done = await waitFor(
        async () => {
          const status = await json(await stack.api(`/api/v1/tasks/${task_id}`, { headers: API_KEY }));
          return status.status === 'TASK_STATUS_RUNNING' || status.status === 'TASK_STATUS_QUEUED' ? undefined : status;
        },
        { timeoutMs: 20_000, intervalMs: 50, description: 'the task to finish' },
      );
      expect(done.status).toBe('TASK_STATUS_COMPLETED');
      expect(done.context.k).toEqual(JSON.parse(deepContext(MAX_CONTEXT_DEPTH)).context.k);
    });

    it.each([
      ['/api/v1/tasks/task_doesnotexist', 404, 'Task not found'],
      ['/api/v1/tasks/bad%20id', 400, 'Invalid task ID format'],
      [`/api/v1/tasks/task_${'x'.repeat(300)}`, 400, 'Invalid task ID format'],
      [`/api/v1/sessions/${'s'.repeat(300)}`, 400, 'Invalid session_id format'],
      ['/api/v1/tasks?limit=0', 400, 'Invalid limit parameter'],
      ['/api/v1/tasks?status=DONE', 400, 'Invalid status value'],
      // An offset past protobuf's uint32 was a 500 on every paged list.
      ['/api/v1/tasks?offset=4294967296', 400, 'Invalid offset parameter'],
      ['/api/v1/tasks/task_doesnotexist/events?offset=4294967296', 400, 'Invalid offset parameter'],
      ['/api/v1/sessions?offset=4294967296', 400, 'Invalid offset parameter'],
      ['/api/v1/sessions/s1/history?offset=4294967296', 400, 'Invalid offset parameter'],
      ['/api/v1/sessions/s1/events?offset=2147483648', 400, 'Invalid offset parameter'],
      ['/api/v1/tasks?offset=2147483647', 200, undefined],
      ['/api/v1/nothing-here', 404, 'Not found'],
    ])('GET %s answers %i', async (path, status, message) => {
      const response = await stack.api(path, { headers: API_KEY });
      expect(response.status).toBe(status);
      if (message) {
        expect(await response.json()).toMatchObject({ error: message });
      }
    });

    it('refuses a wrong key even with skip-auth on, with the Shannon 401 body and header', async () => {
      const response = await stack.api('/api/v1/tasks', { headers: { 'X-API-Key': 'sk_not_a_real_key' } });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="Shannon API"');
      expect(await response.json()).toMatchObject({ error: 'Invalid API key' });
    });
  });

  it("runs seed 001's Idempotency-Key example as written: no key, curl's default content type", async () => {
    // curl -X POST .../api/v1/tasks -H "Idempotency-Key: $(uuidgen)" -d '{"query": "Process once"}'
    const headers = { 'Idempotency-Key': randomUUID(), 'Content-Type': 'application/x-www-form-urlencoded' };
    const first = await stack.api('/api/v1/tasks', { method: 'POST', headers, body: '{"query": "Process once"}' });
    expect(first.status).toBe(200);
    const repeat = await stack.api('/api/v1/tasks', { method: 'POST', headers, body: '{"query": "Process once"}' });
    expect(repeat.status).toBe(200);
    expect(repeat.headers.get('x-idempotency-cached')).toBe('true');
    expect((await json(repeat)).task_id).toBe((await json(first)).task_id);
  });

  it('shuts every service down gracefully on SIGTERM', async () => {
    const exits = stack.children.map(
      ({ service, child }) =>
        new Promise<[string, string]>((resolve) => child.once('exit', (code, signal) => resolve([service.name, signal ?? `exit ${code}`]))),
    );
    // Nest runs its shutdown hooks on SIGTERM and then re-raises the signal; a hang would end in SIGKILL.
    await stack.stop(15_000);
    const endings = Object.fromEntries(await Promise.all(exits));
    expect(endings).toEqual({ auth: 'SIGTERM', session: 'SIGTERM', task: 'SIGTERM', 'task-worker': 'SIGTERM', streaming: 'SIGTERM', gateway: 'SIGTERM' });
  });
});
