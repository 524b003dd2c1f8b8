/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are checked by the assertions */
import { waitFor } from '@shannon/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { type RunningStack, startTestStack } from './running-stack';
import { json } from './task-api';
import { createTenantWithKey } from './test-tenant';

const DEV_KEY = 'sk_test_123456';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const unique = (label: string) => `${label}-${randomBytes(4).toString('hex')}`;

/** Seeds 000 ("Multi-Turn Conversations") and 001 ("Session Management") over HTTP, against the built services. */
describe('sessions (built services as processes)', () => {
  let stack: RunningStack;

  /** One caller of the API: the development key, or a key of a tenant made for the test. */
  function client(apiKey: string) {
    const headers = { 'X-API-Key': apiKey };
    const call = (path: string, init: RequestInit = {}) => fetch(`${stack.gatewayUrl}${path}`, { ...init, headers: { ...headers, ...(init.headers ?? {}) } });
    const send = (method: string, path: string, body?: unknown) =>
      call(path, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return {
      get: (path: string) => call(path),
      send,
      async submit(body: Record<string, unknown>): Promise<{ task_id: string; session_id: string }> {
        const response = await send('POST', '/api/v1/tasks', body);
        const answer = await json(response);
        if (response.status !== 200) {
          throw new Error(`submit answered ${response.status}: ${JSON.stringify(answer)}`);
        }
        expect(response.headers.get('x-session-id')).toBe(answer.session_id);
        return answer;
      },
      task: async (taskId: string) => json(await call(`/api/v1/tasks/${taskId}`)),
      /** The UUID of the session a client id (or UUID) names. */
      sessionUuid: async (sessionId: string): Promise<string> => (await json(await call(`/api/v1/sessions/${sessionId}`))).session_id,
      async finished(taskId: string, timeoutMs = 30_000): Promise<any> {
        return waitFor(
          async () => {
            const task = await json(await call(`/api/v1/tasks/${taskId}`));
            return ['TASK_STATUS_COMPLETED', 'TASK_STATUS_FAILED', 'TASK_STATUS_CANCELLED'].includes(task.status) ? task : undefined;
          },
          { timeoutMs, intervalMs: 50, description: `task ${taskId} to finish` },
        );
      },
      /** The session's history once every one of its turns has ended (the session records outcomes from the bus). */
      async settledHistory(sessionId: string, turns: number): Promise<any> {
        return waitFor(
          async () => {
            const history = await json(await call(`/api/v1/sessions/${sessionId}/history`));
            return history.tasks?.length === turns && history.tasks.every((t: any) => !['QUEUED', 'RUNNING'].includes(t.status)) ? history : undefined;
          },
          { timeoutMs: 30_000, description: `the ${turns} turns of session ${sessionId} to be recorded` },
        );
      },
    };
  }

  let dev: ReturnType<typeof client>;

  beforeAll(async () => {
    stack = await startTestStack();
    dev = client(DEV_KEY);
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  });

  describe('multi-turn conversations (seed 000)', () => {
    it('answers "What are its main advantages?" about Python when both turns are sent back to back in session user-123-chat', async () => {
      // The development tenant outlives test runs: start the seed's session afresh (deleting frees the client id).
      const cleared = await dev.send('DELETE', '/api/v1/sessions/user-123-chat');
      expect([204, 404]).toContain(cleared.status);

      const turn1 = await dev.submit({ query: 'What is Python?', session_id: 'user-123-chat' });
      const turn2 = await dev.submit({ query: 'What are its main advantages?', session_id: 'user-123-chat' });

      // The session is answered as the client named it, as Shannon does; the session's UUID names it too.
      expect([turn1.session_id, turn2.session_id]).toEqual(['user-123-chat', 'user-123-chat']);
      const sessionUuid = await dev.sessionUuid('user-123-chat');
      expect(sessionUuid).toMatch(UUID);
      const [first, second] = [await dev.finished(turn1.task_id), await dev.finished(turn2.task_id)];
      expect([first.session_id, second.session_id]).toEqual(['user-123-chat', 'user-123-chat']);
      expect(first).toMatchObject({ status: 'TASK_STATUS_COMPLETED', result: expect.stringMatching(/^Python is a high-level/) });
      expect(second).toMatchObject({ status: 'TASK_STATUS_COMPLETED', result: expect.stringMatching(/^Python's main advantages/) });

      const history = await dev.settledHistory('user-123-chat', 2);
      expect(history).toMatchObject({ session_id: 'user-123-chat', total: 2 });
      expect(history.tasks.map((t: any) => [t.task_id, t.workflow_id, t.turn, t.query, t.status])).toEqual([
        [turn1.task_id, turn1.task_id, 1, 'What is Python?', 'COMPLETED'],
        [turn2.task_id, turn2.task_id, 2, 'What are its main advantages?', 'COMPLETED'],
      ]);
      expect(history.tasks[1].result).toBe(second.result);
      // The second turn waited for the first (default policy "enqueue"), so it saw the whole first turn.
      expect(Date.parse(history.tasks[1].started_at)).toBeGreaterThanOrEqual(Date.parse(history.tasks[0].completed_at));
      for (const item of history.tasks) {
        expect(item).toMatchObject({ mode: 'standard', total_tokens: expect.any(Number), total_cost_usd: 0, created_at: expect.any(String) });
        expect(item.total_tokens).toBeGreaterThan(0);
      }

      const session = await json(await dev.get('/api/v1/sessions/user-123-chat'));
      expect(session).toMatchObject({
        session_id: sessionUuid,
        external_id: 'user-123-chat',
        title: 'What is Python?',
        context: { external_id: 'user-123-chat', title: 'What is Python?' },
        task_count: 2,
        tokens_used: history.tasks[0].total_tokens + history.tasks[1].total_tokens,
        total_cost_usd: 0,
        cost_usd: 0,
        successful_tasks: 2,
      });
      expect(Date.parse(session.expires_at) - Date.parse(session.last_activity_at)).toBe(30 * 24 * 60 * 60 * 1000);
      expect(await json(await dev.get(`/api/v1/sessions/${sessionUuid}`))).toMatchObject({ session_id: sessionUuid, task_count: 2 });

      const listed = await json(await dev.get(`/api/v1/tasks?session_id=user-123-chat`));
      expect(listed.tasks.map((t: any) => t.task_id)).toEqual([turn2.task_id, turn1.task_id]);
    });

    it("runs seed 000's ShannonClient.run_task flow: each turn waits for its answer, then the next refers back", async () => {
      const chat = unique('chat-123');
      const first = await dev.finished((await dev.submit({ query: 'What is Python?', session_id: chat })).task_id);
      const second = await dev.finished((await dev.submit({ query: 'What are its advantages?', session_id: chat })).task_id);
      expect(first.result).toMatch(/^Python is/);
      expect(second.result).toMatch(/^Python's main advantages/);

      // Without the session, the same question cannot be resolved.
      const alone = await dev.finished((await dev.submit({ query: 'What are its advantages?' })).task_id);
      expect(alone.result).toMatch(/not sure what "its" refers to/);
    });

    it('groups the persisted events by turn, with payloads on request', async () => {
      const chat = unique('events');
      const a = await dev.submit({ query: 'What is the capital of France?', session_id: chat });
      const b = await dev.submit({ query: 'What is 2 + 2?', session_id: chat });
      await dev.settledHistory(chat, 2);
      const page = await waitFor(
        async () => {
          const body = await json(await dev.get(`/api/v1/sessions/${chat}/events`));
          return body.turns?.every((turn: any) => turn.events.some((e: any) => e.type === 'STREAM_END')) ? body : undefined;
        },
        { description: 'the event log to hold both turns' },
      );
      expect(page).toMatchObject({ session_id: chat, count: 2 });
      expect(page.turns.map((t: any) => [t.turn, t.task_id, t.user_query, t.final_output, t.status])).toEqual([
        [1, a.task_id, 'What is the capital of France?', 'The capital of France is Paris.', 'COMPLETED'],
        [2, b.task_id, 'What is 2 + 2?', expect.stringContaining('4'), 'COMPLETED'],
      ]);
      const [first] = page.turns;
      expect(first.events.map((e: any) => e.type)).toEqual(['WORKFLOW_STARTED', 'AGENT_STARTED', 'LLM_OUTPUT', 'AGENT_COMPLETED', 'WORKFLOW_COMPLETED', 'STREAM_END']);
      expect(first.events.every((e: any) => e.workflow_id === a.task_id && e.created_at === e.timestamp && !('payload' in e))).toBe(true);
      expect(first.metadata).toEqual({ tokens_used: expect.any(Number), execution_time_ms: expect.any(Number), agents_involved: ['agent', 'orchestrator'] });
      expect(first.metadata.tokens_used).toBeGreaterThan(0);

      const withPayload = await json(await dev.get(`/api/v1/sessions/${chat}/events?limit=1&offset=1&include_payload=true`));
      expect(withPayload.count).toBe(2);
      expect(withPayload.turns.map((t: any) => [t.turn, t.task_id])).toEqual([[2, b.task_id]]);
      const output = withPayload.turns[0].events.find((e: any) => e.type === 'LLM_OUTPUT');
      expect(typeof output.payload).toBe('string');
      expect(JSON.parse(output.payload)).toMatchObject({ provider: 'mock', output_tokens: expect.any(Number) });
    });
  });

  describe('session ids', () => {
    it.each([
      ['dots, colons, underscores and dashes', 'a.b:c_d-e'],
      ['one character', 'X'],
      ['128 characters', `${'z'.repeat(120)}${randomBytes(4).toString('hex')}`],
      ['mixed case', 'User.42:Chat_Main-01'],
    ])('accepts a client id with %s and finds the session by it', async (_label, base) => {
      const id = base.length >= 100 ? base : `${base}.${randomBytes(3).toString('hex')}`;
      const { session_id } = await dev.submit({ query: 'What is 2 + 2?', session_id: id });
      expect(session_id).toBe(id);
      const session = await dev.get(`/api/v1/sessions/${encodeURIComponent(id)}`);
      expect(session.status).toBe(200);
      expect(await json(session)).toMatchObject({ session_id: expect.stringMatching(UUID), external_id: id });
      const again = await dev.submit({ query: 'What is 3 + 3?', session_id: id });
      expect(again.session_id).toBe(id);
      expect((await json(await dev.get(`/api/v1/tasks?session_id=${encodeURIComponent(id)}`))).total_count).toBe(2);
    });

    it('keeps a UUID given by the client as the session id, whatever its case', async () => {
      const id = randomUUID();
      const first = await dev.submit({ query: 'What is 2 + 2?', session_id: id.toUpperCase() });
      const second = await dev.submit({ query: 'What is 3 + 3?', session_id: id });
      expect([first.session_id, second.session_id]).toEqual([id.toUpperCase(), id]);
      expect(await json(await dev.get(`/api/v1/sessions/${id.toUpperCase()}`))).toMatchObject({ session_id: id });
    });

    it.each([
      ['a space', 'has space'],
      ['a slash', 'a/b'],
      ['129 characters', 'x'.repeat(129)],
      ['non-ASCII letters', 'café-chat'],
      ['an emoji', 'chat-🐍'],
      ['the empty string', ''],
    ])('refuses a client id with %s (400) and stores nothing', async (_label, id) => {
      const before = (await json(await dev.get('/api/v1/sessions?limit=1'))).total_count;
      const response = await dev.send('POST', '/api/v1/tasks', { query: 'What is 2 + 2?', session_id: id });
      expect(response.status).toBe(400);
      expect(await json(response)).toMatchObject({ error: 'Invalid session_id format' });
      expect((await json(await dev.get('/api/v1/sessions?limit=1'))).total_count).toBe(before);
    });

    it.each(['has%20space', 'x'.repeat(129), 'caf%C3%A9', 'a%2Fb'])('answers 400 for the malformed id %s on every session route', async (id) => {
      for (const response of [
        await dev.get(`/api/v1/sessions/${id}`),
        await dev.get(`/api/v1/sessions/${id}/history`),
        await dev.get(`/api/v1/sessions/${id}/events`),
        await dev.send('PATCH', `/api/v1/sessions/${id}`, { title: 'x' }),
        await dev.send('DELETE', `/api/v1/sessions/${id}`),
      ]) {
        expect(response.status).toBe(400);
        expect(await json(response)).toMatchObject({ error: 'Invalid session_id format' });
      }
    });

    it('answers 404 "Session not found" for a well-formed id nobody used', async () => {
      for (const path of [`/api/v1/sessions/${unique('nobody')}`, `/api/v1/sessions/${randomUUID()}/history`, `/api/v1/sessions/${randomUUID()}/events`]) {
        const response = await dev.get(path);
        expect(response.status).toBe(404);
        expect(await json(response)).toEqual({ error: 'Session not found', code: 'SESSION_NOT_FOUND' });
      }
    });
  });

  describe('list and pages', () => {
    it('lists newest activity first with counts and totals, and pages to the edges', async () => {
      const tenant = client((await createTenantWithKey(stack.databaseUrl)).apiKey);
      const ids = ['s1', 's2', 's3', 's4', 's5'].map(unique);
      const taskIds: string[] = [];
      // One after the other, each answered before the next: a finished answer counts as activity,
      // so answers finishing out of order would reorder the list.
      for (const id of ids) {
        const { task_id } = await tenant.submit({ query: 'What is 2 + 2?', session_id: id });
        taskIds.push(task_id);
        await tenant.settledHistory(id, 1);
      }

      const all = await json(await tenant.get('/api/v1/sessions?limit=100'));
      expect(all.total_count).toBe(5);
      expect(all.sessions.map((s: any) => s.external_id)).toEqual([...ids].reverse());
      expect(all.sessions[0]).toMatchObject({
        session_id: expect.stringMatching(UUID),
        user_id: expect.stringMatching(UUID),
        title: 'What is 2 + 2?',
        task_count: 1,
        successful_tasks: 1,
        failed_tasks: 0,
        total_cost_usd: 0,
        latest_task_query: 'What is 2 + 2?',
        latest_task_status: 'COMPLETED',
        is_active: true,
        created_at: expect.any(String),
        updated_at: expect.any(String),
        last_activity_at: expect.any(String),
        expires_at: expect.any(String),
      });
      expect(all.sessions[0].tokens_used).toBeGreaterThan(0);

      const page = async (query: string) => json(await tenant.get(`/api/v1/sessions?${query}`));
      expect((await page('limit=2')).sessions.map((s: any) => s.external_id)).toEqual([ids[4], ids[3]]);
      expect((await page('limit=2&offset=2')).sessions.map((s: any) => s.external_id)).toEqual([ids[2], ids[1]]);
      expect(await page('limit=2&offset=4')).toMatchObject({ total_count: 5, sessions: [{ external_id: ids[0] }] });
      expect(await page('offset=5')).toEqual({ total_count: 5, sessions: [] });
      expect(await page('offset=1000')).toEqual({ total_count: 5, sessions: [] });
      expect((await page('limit=1')).sessions).toHaveLength(1);
      expect((await page('')).sessions).toHaveLength(5);

      // A new turn in the oldest session makes it the newest.
      await tenant.submit({ query: 'What is 3 + 3?', session_id: ids[0] });
      expect((await page('limit=1')).sessions[0]).toMatchObject({ external_id: ids[0], task_count: 2 });

      const history = await json(await tenant.get(`/api/v1/sessions/${ids[1]}/history?limit=1&offset=1`));
      expect(history).toEqual({ session_id: ids[1], tasks: [], total: 1 });
      expect((await json(await tenant.get(`/api/v1/sessions/${ids[1]}/events?offset=1`))).turns).toEqual([]);
    });

    it.each([
      ['/api/v1/sessions?limit=0', 'Invalid limit parameter'],
      ['/api/v1/sessions?limit=101', 'Invalid limit parameter'],
      ['/api/v1/sessions?limit=ten', 'Invalid limit parameter'],
      ['/api/v1/sessions?limit=1.5', 'Invalid limit parameter'],
      ['/api/v1/sessions?offset=-1', 'Invalid offset parameter'],
      ['/api/v1/sessions/whatever/events?limit=0', 'Invalid limit parameter'],
      ['/api/v1/sessions/whatever/events?limit=101', 'Invalid limit parameter'],
      ['/api/v1/sessions/whatever/events?offset=-3', 'Invalid offset parameter'],
      ['/api/v1/sessions/whatever/events?include_payload=yes', 'Invalid include_payload parameter (true or false)'],
      ['/api/v1/sessions/whatever/history?limit=1001', 'Invalid limit parameter'],
    ])('answers 400 to %s', async (path, message) => {
      const response = await dev.get(path);
      expect(response.status).toBe(400);
      expect(await json(response)).toMatchObject({ error: message });
    });
  });

  describe('titles', () => {
    it('titles a session from its first query and lets the owner rename it within 60 characters', async () => {
      const chat = unique('titled');
      await dev.submit({ query: 'What is the capital of France?', session_id: chat });
      expect((await json(await dev.get(`/api/v1/sessions/${chat}`))).title).toBe('What is the capital of France?');

      const renamed = await dev.send('PATCH', `/api/v1/sessions/${chat}`, { title: '  Trip\nplanning  ' });
      expect(renamed.status).toBe(200);
      expect(await json(renamed)).toEqual({ session_id: chat, title: 'Trip planning' });
      const emoji = '🐍'.repeat(60);
      expect(await json(await dev.send('PATCH', `/api/v1/sessions/${chat}`, { title: emoji }))).toEqual({ session_id: chat, title: emoji });
      expect((await json(await dev.get(`/api/v1/sessions/${chat}`))).title).toBe(emoji);

      const refused: [unknown, string][] = [
        [{ title: '' }, 'Title cannot be empty'],
        [{ title: '   ' }, 'Title cannot be empty'],
        [{ title: '\u0007\u200B' }, 'Title cannot contain only control characters'],
        [{ title: 'x'.repeat(61) }, 'Title must be 60 characters or less'],
        [{ title: 42 }, 'title must be a string'],
        [{}, 'Title cannot be empty'],
      ];
      for (const [body, message] of refused) {
        const response = await dev.send('PATCH', `/api/v1/sessions/${chat}`, body);
        expect(response.status).toBe(400);
        expect(await json(response)).toMatchObject({ error: message });
      }
      expect((await json(await dev.get(`/api/v1/sessions/${chat}`))).title).toBe(emoji);
      expect((await dev.send('PATCH', `/api/v1/sessions/${unique('nobody')}`, { title: 'x' })).status).toBe(404);
    });
  });

  describe('soft delete', () => {
    it('answers 204, 204 again, and 404 for unknown; the session and its history are gone from every route', async () => {
      const chat = unique('doomed');
      const { task_id } = await dev.submit({ query: 'What is Python?', session_id: chat });
      await dev.settledHistory(chat, 1);
      const session_id = await dev.sessionUuid(chat);

      const deleted = await dev.send('DELETE', `/api/v1/sessions/${chat}`);
      expect(deleted.status).toBe(204);
      expect(await deleted.text()).toBe('');
      expect((await dev.send('DELETE', `/api/v1/sessions/${chat}`)).status).toBe(204);
      expect((await dev.send('DELETE', `/api/v1/sessions/${session_id}`)).status).toBe(204);
      const unknown = await dev.send('DELETE', `/api/v1/sessions/${unique('never')}`);
      expect(unknown.status).toBe(404);
      expect(await json(unknown)).toMatchObject({ error: 'Session not found' });

      for (const id of [chat, session_id]) {
        for (const response of [
          await dev.get(`/api/v1/sessions/${id}`),
          await dev.get(`/api/v1/sessions/${id}/history`),
          await dev.get(`/api/v1/sessions/${id}/events`),
          await dev.send('PATCH', `/api/v1/sessions/${id}`, { title: 'back?' }),
        ]) {
          expect(response.status).toBe(404);
          expect(await json(response)).toMatchObject({ error: 'Session not found' });
        }
        expect(await json(await dev.get(`/api/v1/tasks?session_id=${id}`))).toEqual({ tasks: [], total_count: 0 });
      }
      const listed = await json(await dev.get('/api/v1/sessions?limit=100'));
      expect(listed.sessions.map((s: any) => s.session_id)).not.toContain(session_id);

      // The deleted session takes no new task...
      const refused = await dev.send('POST', '/api/v1/tasks', { query: 'What are its main advantages?', session_id });
      expect(refused.status).toBe(404);
      expect(await json(refused)).toMatchObject({ error: 'Session not found' });
      // ...and its client id now names a new, empty session: the old turns are not in its context.
      const fresh = await dev.submit({ query: 'What are its main advantages?', session_id: chat });
      expect(await dev.sessionUuid(chat)).not.toBe(session_id);
      expect((await dev.finished(fresh.task_id)).result).toMatch(/not sure what "its" refers to/);
      expect((await dev.settledHistory(chat, 1)).tasks.map((t: any) => t.task_id)).toEqual([fresh.task_id]);
      // The task itself stays readable by id.
      expect((await dev.task(task_id)).status).toBe('TASK_STATUS_COMPLETED');
    });
  });

  describe('concurrent turns', () => {
    const ESSAY = { query: 'Write a 400 word essay about rivers', context: { mock: { token_delay_ms: 10 } } };

    it('enqueue (the default): the second task stays QUEUED until the first ends, then sees it', async () => {
      const chat = unique('enqueue');
      const essay = await dev.submit({ ...ESSAY, session_id: chat });
      await waitFor(async () => (await dev.task(essay.task_id)).status === 'TASK_STATUS_RUNNING', { description: 'the essay to run' });
      const next = await dev.submit({ query: 'What is 2 + 2?', session_id: chat, session_concurrency: 'enqueue' });

      expect((await dev.task(essay.task_id)).status).toBe('TASK_STATUS_RUNNING');
      expect((await dev.task(next.task_id)).status).toBe('TASK_STATUS_QUEUED');

      const [first, second] = [await dev.finished(essay.task_id), await dev.finished(next.task_id)];
      expect(first.status).toBe('TASK_STATUS_COMPLETED');
      expect(second.status).toBe('TASK_STATUS_COMPLETED');
      const history = await dev.settledHistory(chat, 2);
      expect(Date.parse(history.tasks[1].started_at)).toBeGreaterThanOrEqual(Date.parse(history.tasks[0].completed_at));
    });

    it('reject: a second task while one runs answers 409 and creates nothing', async () => {
      const chat = unique('reject');
      const essay = await dev.submit({ ...ESSAY, session_id: chat });

      const refused = await dev.send('POST', '/api/v1/tasks', { query: 'What is 2 + 2?', session_id: chat, session_concurrency: 'reject' });

      expect(refused.status).toBe(409);
      expect(await json(refused)).toMatchObject({ error: expect.stringContaining(`Session already has a task in progress (${essay.task_id})`), code: 'CONFLICT' });
      expect((await json(await dev.get(`/api/v1/sessions/${chat}/history`))).total).toBe(1);
      expect((await json(await dev.get(`/api/v1/tasks?session_id=${chat}`))).total_count).toBe(1);

      await dev.finished(essay.task_id);
      await dev.settledHistory(chat, 1);
      const accepted = await dev.submit({ query: 'What is 2 + 2?', session_id: chat, session_concurrency: 'reject' });
      expect((await dev.finished(accepted.task_id)).status).toBe('TASK_STATUS_COMPLETED');
    });

    it('reject: of two submits at the same moment exactly one is accepted', async () => {
      const chat = unique('race');
      const responses = await Promise.all([1, 2, 3].map(() => dev.send('POST', '/api/v1/tasks', { ...ESSAY, session_id: chat, session_concurrency: 'reject' })));
      expect(responses.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    });

    it('interrupt: the new task runs at once, the running turn leaves the conversation and its task is cancelled', async () => {
      const chat = unique('interrupt');
      const long = await dev.submit({ query: 'Write a 1500 word essay about rivers', context: { mock: { token_delay_ms: 10 } }, session_id: chat });
      await waitFor(async () => (await dev.task(long.task_id)).status === 'TASK_STATUS_RUNNING', { description: 'the essay to run' });

      const urgent = await dev.submit({ query: 'What is the capital of France?', session_id: chat, session_concurrency: 'interrupt' });

      const answered = await dev.finished(urgent.task_id);
      expect(answered.result).toBe('The capital of France is Paris.');
      await waitFor(async () => (await dev.task(long.task_id)).status === 'TASK_STATUS_CANCELLED', { description: 'the interrupted essay to be cancelled' });
      const history = await json(await dev.get(`/api/v1/sessions/${chat}/history`));
      expect(history.tasks.map((t: any) => [t.task_id, t.metadata?.interrupted_by])).toEqual([
        [long.task_id, urgent.task_id],
        [urgent.task_id, undefined],
      ]);
    });

    it('refuses an unknown policy', async () => {
      const response = await dev.send('POST', '/api/v1/tasks', { query: 'q', session_id: unique('p'), session_concurrency: 'rollback' });
      expect(response.status).toBe(400);
      expect(await json(response)).toMatchObject({ error: 'Invalid session_concurrency (allowed: enqueue, reject, interrupt)' });
    });
  });

  describe('tenant isolation', () => {
    it("makes another tenant's session 404 on every route and never lets it join", async () => {
      const chat = unique('mine');
      await dev.submit({ query: 'What is Python?', session_id: chat });
      await dev.settledHistory(chat, 1);
      const mine = { session_id: await dev.sessionUuid(chat) };
      const other = client((await createTenantWithKey(stack.databaseUrl)).apiKey);

      for (const id of [chat, mine.session_id]) {
        for (const response of [
          await other.get(`/api/v1/sessions/${id}`),
          await other.get(`/api/v1/sessions/${id}/history`),
          await other.get(`/api/v1/sessions/${id}/events`),
          await other.send('PATCH', `/api/v1/sessions/${id}`, { title: 'stolen' }),
          await other.send('DELETE', `/api/v1/sessions/${id}`),
        ]) {
          expect(response.status).toBe(404);
          expect(await json(response)).toMatchObject({ error: 'Session not found' });
        }
      }
      expect(await json(await other.get('/api/v1/sessions'))).toEqual({ sessions: [], total_count: 0 });
      expect(await json(await other.get(`/api/v1/tasks?session_id=${mine.session_id}`))).toEqual({ tasks: [], total_count: 0 });

      // Naming the UUID does not join it; naming the client id makes the other tenant its own session.
      const joined = await other.send('POST', '/api/v1/tasks', { query: 'What are its main advantages?', session_id: mine.session_id });
      expect(joined.status).toBe(404);
      const own = await other.submit({ query: 'What are its main advantages?', session_id: chat });
      expect(await other.sessionUuid(chat)).not.toBe(mine.session_id);
      expect((await other.finished(own.task_id)).result).toMatch(/not sure what "its" refers to/);

      // The owner's session is untouched.
      const session = await json(await dev.get(`/api/v1/sessions/${chat}`));
      expect(session).toMatchObject({ session_id: mine.session_id, title: 'What is Python?', task_count: 1 });
    });
  });

  it('describes the session routes in the OpenAPI document', async () => {
    const openapi = await json(await dev.get('/openapi.json'));
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/api/v1/sessions', '/api/v1/sessions/{id}', '/api/v1/sessions/{id}/history', '/api/v1/sessions/{id}/events']),
    );
    expect(Object.keys(openapi.paths['/api/v1/sessions/{id}']).sort()).toEqual(['delete', 'get', 'patch']);
    expect(openapi.components.schemas.CreateTaskDto.properties.session_concurrency.enum).toEqual(['enqueue', 'reject', 'interrupt']);
    expect(Object.keys(openapi.paths['/api/v1/tasks'].post.responses)).toContain('409');
  });
});
