/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are checked by the assertions */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { BusNames } from '@shannon/contracts';
import { ensureTestDatabase, waitFor } from '@shannon/testing';
import { type RunningStack, startTestStack } from './running-stack';
import { deltaText, openSse, readSse, type SseFrame } from './sse-client';
import { API_KEY, json, submitTask, waitForEventLog, waitForTaskEnd } from './task-api';
import { createTenantWithKey } from './test-tenant';
import { collectWs } from './ws-client';

const DEVELOPMENT_TENANT_ID = '00000000-0000-0000-0000-000000000001';

/** The event name of each frame. */
const names = (frames: SseFrame[]) => frames.map((frame) => frame.event);
const ids = (frames: SseFrame[]) => frames.map((frame) => Number(frame.id));
/** Event names with each run of deltas as one: how many deltas an answer takes depends on the bus's pace (ADR 0051). */
const shape = (frames: SseFrame[]) => names(frames).filter((name, i, all) => name !== 'thread.message.delta' || all[i - 1] !== name);

describe('task streams: the SSE and WebSocket contract (built services as processes)', () => {
  let stack: RunningStack;
  let gateway: string;

  beforeAll(async () => {
    // Memory of recent events off: the gap test purges deltas from the stream, which memory would
    // still serve (the other e2e suites run with it on; subscribe-recent.int-spec covers it).
    stack = await startTestStack({ STREAM_HEARTBEAT_MS: '250', SUBSCRIBE_REORDER_WINDOW_MS: '200', RATE_LIMIT_RPM: '1000000', RATE_LIMIT_BURST: '1000000', STREAM_RECENT_EVENTS: '0' });
    gateway = stack.gatewayUrl;
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('seed 000: /api/v1/tasks/{id}/stream read line by line gives the run as data lines, ending with [DONE]', async () => {
    const { task_id } = await submitTask(gateway, { query: 'Write a haiku about coding' });

    const stream = await readSse(`${gateway}/api/v1/tasks/${task_id}/stream`, { headers: API_KEY });

    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream');
    expect(stream.headers['cache-control']).toBe('no-cache');
    expect(stream.lines[0]).toBe(`: connected to workflow ${task_id}`);
    const data = stream.lines.filter((line) => line.startsWith('data: ')).map((line) => line.slice(6));
    expect(data.at(-1)).toBe('[DONE]');
    const events = data.slice(0, -1).map((line) => JSON.parse(line));
    expect(events.every((event) => event.workflow_id === task_id)).toBe(true);
    const frames = stream.frames;
    expect(ids(frames)).toEqual(frames.map((_, i) => i + 1));
    expect(names(frames).filter((name) => name !== 'thread.message.delta')).toEqual([
      'WORKFLOW_STARTED',
      'AGENT_STARTED',
      'LLM_PROMPT',
      'thread.message.completed',
      'AGENT_COMPLETED',
      'WORKFLOW_COMPLETED',
      'done',
    ]);
    const status = await waitForTaskEnd(gateway, task_id);
    expect(deltaText(frames)).toBe(status.result);
    const deltas = frames.filter((frame) => frame.event === 'thread.message.delta').map((frame) => JSON.parse(frame.data));
    expect(deltas[0]).toEqual({ workflow_id: task_id, agent_id: expect.any(String), delta: expect.any(String), seq: 4, stream_id: expect.stringMatching(/^\d+-4$/) });
    const completed = JSON.parse(frames.find((frame) => frame.event === 'thread.message.completed')?.data ?? '{}');
    expect(completed).toMatchObject({ workflow_id: task_id, response: status.result, metadata: { provider: 'mock' } });
  });

  it('streams a model faster than the bus in fewer, longer deltas: the same text, gap-free ids (ADR 0051)', async () => {
    const { task_id } = await submitTask(gateway, { query: 'Write a 300 word essay about rivers', context: { mock: { token_delay_ms: 0 } } });

    const stream = await readSse(`${gateway}/api/v1/tasks/${task_id}/stream`, { headers: API_KEY });

    const status = await waitForTaskEnd(gateway, task_id);
    expect(deltaText(stream.frames)).toBe(status.result);
    expect(ids(stream.frames)).toEqual(stream.frames.map((_, i) => i + 1));
    const deltas = stream.frames.filter((frame) => frame.event === 'thread.message.delta').length;
    expect(deltas).toBeGreaterThan(1);
    expect(deltas).toBeLessThan(status.result.split(' ').length / 4);
  });

  it('seed 001: /api/v1/stream/sse?workflow_id= without a key in development streams the task to done', async () => {
    const { task_id } = await submitTask(gateway, { query: 'Analyze sentiment: Shannon makes AI simple' }, {});

    const stream = await readSse(`${gateway}/api/v1/stream/sse?workflow_id=${task_id}`);

    expect(stream.status).toBe(200);
    expect(names(stream.frames).at(0)).toBe('WORKFLOW_STARTED');
    expect(stream.frames.at(-1)).toEqual({ id: String(stream.frames.length), event: 'done', data: '[DONE]' });
  });

  it('POST /api/v1/tasks/stream answers 201 with stream_url and a Link header, and that URL streams the task', async () => {
    const response = await fetch(`${gateway}/api/v1/tasks/stream`, {
      method: 'POST',
      headers: { ...API_KEY, 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: 'What is the capital of France?' }),
    });

    expect(response.status).toBe(201);
    const body = await json(response);
    expect(body).toEqual({ task_id: expect.stringMatching(/^task_/), workflow_id: body.task_id, stream_url: `/api/v1/stream/sse?workflow_id=${body.task_id}` });
    expect(response.headers.get('link')).toBe(`<${body.stream_url}>; rel=stream`);
    expect(response.headers.get('x-workflow-id')).toBe(body.task_id);
    expect(response.headers.get('x-session-id')).toMatch(/^[0-9a-f-]{36}$/);
    const stream = await readSse(`${gateway}${body.stream_url}`, { headers: API_KEY });
    expect(stream.frames.at(-1)?.event).toBe('done');
  });

  it('replays a finished task at once, its history and done, then closes', async () => {
    const { task_id } = await submitTask(gateway, { query: 'What is the capital of France?' });
    await waitForEventLog(gateway, task_id);

    const started = Date.now();
    const stream = await readSse(`${gateway}/api/v1/tasks/${task_id}/stream`, { headers: API_KEY });

    expect(Date.now() - started).toBeLessThan(4_000);
    expect(shape(stream.frames)).toEqual([
      'WORKFLOW_STARTED',
      'AGENT_STARTED',
      'LLM_PROMPT',
      'thread.message.delta',
      'thread.message.completed',
      'AGENT_COMPLETED',
      'WORKFLOW_COMPLETED',
      'done',
    ]);
    expect(ids(stream.frames)).toEqual(stream.frames.map((_, i) => i + 1));
    expect(deltaText(stream.frames)).toBe((await waitForTaskEnd(gateway, task_id)).result);
  });

  it('resumes after Last-Event-ID or last_event_id, as a seq or a stream_id, the header first', async () => {
    const { task_id } = await submitTask(gateway, { query: 'What is the capital of France?' });
    const whole = await readSse(`${gateway}/api/v1/tasks/${task_id}/stream`, { headers: API_KEY });
    const streamIdOf5 = JSON.parse(whole.frames[4].data).stream_id;
    const last = whole.frames.length;
    const from = (seq: number) => Array.from({ length: last - seq + 1 }, (_, i) => seq + i);
    const after = async (headers: Record<string, string>, query = '') =>
      ids((await readSse(`${gateway}/api/v1/stream/sse?workflow_id=${task_id}${query}`, { headers: { ...API_KEY, ...headers } })).frames);

    expect(ids(whole.frames)).toEqual(from(1));
    expect(await after({ 'Last-Event-ID': String(last - 4) })).toEqual(from(last - 3));
    expect(await after({}, `&last_event_id=${last - 2}`)).toEqual(from(last - 1));
    expect(await after({ 'Last-Event-ID': streamIdOf5 })).toEqual(from(6));
    expect(await after({ 'Last-Event-ID': String(last - 1) }, '&last_event_id=2')).toEqual([last]);
    // After the end of the task: nothing but done, so an EventSource that reconnects stops there.
    const afterEnd = await readSse(`${gateway}/api/v1/stream/sse?workflow_id=${task_id}&last_event_id=${last}`, { headers: API_KEY });
    expect(afterEnd.frames).toEqual([{ event: 'done', data: '[DONE]' }]);
  });

  it('filters by types on live and finished tasks, still ending with done', async () => {
    const { task_id } = await submitTask(gateway, { query: 'What is the capital of France?', context: { mock: { start_delay_ms: 300 } } });
    const types = 'types=LLM_OUTPUT,WORKFLOW_COMPLETED';

    const live = await readSse(`${gateway}/api/v1/stream/sse?workflow_id=${task_id}&${types}`, { headers: API_KEY });
    const finished = await readSse(`${gateway}/api/v1/tasks/${task_id}/stream?${types}`, { headers: API_KEY });

    for (const stream of [live, finished]) {
      expect(names(stream.frames)).toEqual(['thread.message.completed', 'WORKFLOW_COMPLETED', 'done']);
      const [completed, workflowCompleted, done] = ids(stream.frames);
      expect([workflowCompleted - completed, done - workflowCompleted]).toEqual([2, 1]);
    }
    const ws = await collectWs(`${gateway.replace('http', 'ws')}/api/v1/stream/ws?workflow_id=${task_id}&types=AGENT_STARTED`);
    expect(ws.messages.map((message) => message['type'])).toEqual(['AGENT_STARTED', 'STREAM_END']);
  });

  it('answers HEAD on the stream of a running task with the headers at once', async () => {
    const { task_id } = await submitTask(gateway, { query: 'What is the capital of France?', context: { mock: { start_delay_ms: 30_000 } } });

    const head = await fetch(`${gateway}/api/v1/tasks/${task_id}/stream`, { method: 'HEAD', headers: API_KEY });
    await head.text();

    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/event-stream');
    // The answer ended while the task had not: it was not held open until the task's end.
    expect((await json(await fetch(`${gateway}/api/v1/tasks/${task_id}`, { headers: API_KEY }))).completed_at).toBeUndefined();
    await fetch(`${gateway}/api/v1/tasks/${task_id}/cancel`, { method: 'POST', headers: API_KEY });
  });

  it('sends `: ping` heartbeats while the task is quiet', async () => {
    const { task_id } = await submitTask(gateway, { query: 'What is the capital of France?', context: { mock: { start_delay_ms: 1_500 } } });

    const stream = await readSse(`${gateway}/api/v1/tasks/${task_id}/stream?types=WORKFLOW_COMPLETED`, { headers: API_KEY });

    expect(stream.comments.filter((comment) => comment === 'ping').length).toBeGreaterThanOrEqual(2);
    expect(stream.lines.indexOf(': ping')).toBeLessThan(stream.lines.indexOf('event: WORKFLOW_COMPLETED'));
  });

  it('names the token deltas that are no longer kept with a gap frame, never a silent hole', async () => {
    const { task_id } = await submitTask(gateway, { query: 'What is the capital of France?' });
    await waitForEventLog(gateway, task_id);
    // The EVENTS stream drops what is older than its retention; purging the task's subject is the same, now.
    const nats = await connect({ servers: 'nats://127.0.0.1:4222', name: 'streaming-e2e' });
    try {
      const bus = new BusNames(stack.namespace);
      const jsm = await jetstreamManager(nats);
      await jsm.streams.purge(bus.eventsStream, { filter: bus.taskEventsSubject(DEVELOPMENT_TENANT_ID, task_id) });
    } finally {
      await nats.close();
    }

    const stream = await readSse(`${gateway}/api/v1/tasks/${task_id}/stream`, { headers: API_KEY });
    const resumed = await readSse(`${gateway}/api/v1/tasks/${task_id}/stream`, { headers: { ...API_KEY, 'Last-Event-ID': '3' } });
    const ws = await collectWs(`${gateway.replace('http', 'ws')}/api/v1/stream/ws?workflow_id=${task_id}`);

    // The deltas (as many as the bus's pace made them, ADR 0051) end 4 before the end.
    const end = Number(stream.frames.at(-1)?.id);
    const tail = [`${end - 4} gap`, `${end - 3} thread.message.completed`, `${end - 2} AGENT_COMPLETED`, `${end - 1} WORKFLOW_COMPLETED`, `${end} done`];
    expect(stream.frames.map((frame) => `${frame.id} ${frame.event}`)).toEqual(['1 WORKFLOW_STARTED', '2 AGENT_STARTED', ...tail]);
    expect(JSON.parse(stream.frames[2].data)).toEqual({ workflow_id: task_id, from_seq: 3, to_seq: end - 4, first_available_seq: end - 3, message: expect.stringContaining('no longer kept') });
    expect(resumed.frames.map((frame) => `${frame.id} ${frame.event}`)).toEqual(tail);
    expect(JSON.parse(resumed.frames[0].data)).toMatchObject({ from_seq: 4, to_seq: end - 4 });
    expect(ws.messages.map((message) => message['type'])).toEqual(['WORKFLOW_STARTED', 'AGENT_STARTED', 'gap', 'LLM_OUTPUT', 'AGENT_COMPLETED', 'WORKFLOW_COMPLETED', 'STREAM_END']);
    expect(ws.messages[2]).toMatchObject({ type: 'gap', from_seq: 3, to_seq: end - 4, first_available_seq: end - 3 });
  });

  it('streams over a WebSocket: one JSON object per event, closed with 1000 after STREAM_END, resumable by last_event_id', async () => {
    const { task_id } = await submitTask(gateway, { query: 'What is the capital of France?' });
    const url = `${gateway.replace('http', 'ws')}/api/v1/stream/ws?workflow_id=${task_id}`;

    const whole = await collectWs(url);
    const completedSeq = whole.messages.find((message) => message['type'] === 'LLM_OUTPUT')?.['seq'];
    const resumed = await collectWs(`${url}&last_event_id=${completedSeq}`);

    expect(whole.closeCode).toBe(1000);
    expect(whole.messages.map((message) => message['seq'])).toEqual(whole.messages.map((_, i) => i + 1));
    expect(whole.messages[3]).toEqual({
      workflow_id: task_id,
      type: 'LLM_PARTIAL',
      agent_id: whole.messages[1]['agent_id'],
      message: 'The',
      timestamp: expect.any(String),
      seq: 4,
      stream_id: expect.stringMatching(/^\d+-4$/),
    });
    expect(resumed.messages.map((message) => message['type'])).toEqual(['AGENT_COMPLETED', 'WORKFLOW_COMPLETED', 'STREAM_END']);
    const plain = await fetch(`${gateway}/api/v1/stream/ws?workflow_id=${task_id}`, { headers: API_KEY });
    expect(plain.status).toBe(426);
    expect((await json(plain)).error).toMatch(/WebSocket/);
  });

  it('shows pause and cancel as workflow.* frames, then done, and closes', async () => {
    const control = (taskId: string, action: string) =>
      fetch(`${gateway}/api/v1/tasks/${taskId}/${action}`, { method: 'POST', headers: { ...API_KEY, 'Content-Type': 'application/json' }, body: '{}' });
    const follow = async (query: string) => {
      const { task_id } = await submitTask(gateway, { query, mode: 'simple', context: { mock: { token_delay_ms: 5 } } });
      const stream = await openSse(`${gateway}/api/v1/tasks/${task_id}/stream`, { headers: API_KEY });
      await waitFor(() => stream.frames.length >= 10, { description: 'the answer to stream' });
      return { taskId: task_id, stream };
    };
    const workflowFrames = (frames: SseFrame[]) => frames.filter((frame) => frame.event?.startsWith('workflow.'));

    // A pause is announced at once and holds at the next step boundary (a simple task has none left).
    const paused = await follow('Write a 300 word essay about rivers');
    expect((await control(paused.taskId, 'pause')).status).toBe(202);
    // Cancel aborts the model call at once.
    const cancelled = await follow('Write a 5000 word essay about rivers');
    expect((await control(cancelled.taskId, 'cancel')).status).toBe(202);

    for (const { stream } of [paused, cancelled]) {
      expect(await stream.ended).toBe(true);
      expect(stream.frames.at(-1)?.event).toBe('done');
      expect(ids(stream.frames)).toEqual(stream.frames.map((_, i) => i + 1));
    }
    const pauseFrames = workflowFrames(paused.stream.frames);
    expect(pauseFrames.map((frame) => frame.event)).toEqual(['workflow.pausing']);
    expect(JSON.parse(pauseFrames[0].data)).toMatchObject({ workflow_id: paused.taskId, message: 'Pausing at the next step', seq: Number(pauseFrames[0].id) });
    const cancelFrames = workflowFrames(cancelled.stream.frames);
    expect(cancelFrames.map((frame) => frame.event)).toEqual(['workflow.cancelling', 'workflow.cancelled']);
    expect(JSON.parse(cancelFrames[1].data)).toEqual({ workflow_id: cancelled.taskId, agent_id: expect.any(String), message: expect.any(String), seq: Number(cancelFrames[1].id), stream_id: expect.any(String) });
  }, 90_000);

  describe('refuses before the stream starts', () => {
    let taskId: string;
    let foreignKey: string;

    beforeAll(async () => {
      taskId = (await submitTask(gateway, { query: 'What is the capital of France?' })).task_id;
      foreignKey = (await createTenantWithKey(await ensureTestDatabase('shannon_e2e_test'))).apiKey;
    });

    it.each([
      ['/api/v1/stream/sse?workflow_id=TASK&last_event_id=abc', 400, 'Invalid last_event_id'],
      ['/api/v1/stream/sse?workflow_id=TASK&last_event_id=12-', 400, 'Invalid last_event_id'],
      ['/api/v1/stream/sse', 400, 'Invalid or missing workflow_id'],
      ['/api/v1/stream/sse?workflow_id=bad%20id', 400, 'Invalid or missing workflow_id'],
      ['/api/v1/stream/sse?workflow_id=TASK&types=LLM_OUTPUT,%3Cx%3E', 400, 'Invalid types parameter: "<x>"'],
      ['/api/v1/tasks/bad%20id/stream', 400, 'Invalid task ID format'],
      ['/api/v1/stream/sse?workflow_id=task_doesnotexist', 404, 'Task not found'],
      ['/api/v1/tasks/task_doesnotexist/stream', 404, 'Task not found'],
    ])('GET %s answers %i', async (path, status, message) => {
      const response = await fetch(`${gateway}${path.replace('TASK', taskId)}`, { headers: API_KEY });

      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect((await json(response)).error).toBe(message);
    });

    it('answers 400 for a malformed Last-Event-ID header', async () => {
      const response = await fetch(`${gateway}/api/v1/tasks/${taskId}/stream`, { headers: { ...API_KEY, 'Last-Event-ID': 'yesterday' } });

      expect(response.status).toBe(400);
      expect(await json(response)).toMatchObject({ error: 'Invalid last_event_id' });
    });

    it("answers 404 for another tenant's task, on every streaming route", async () => {
      const foreign = { 'X-API-Key': foreignKey };
      for (const path of [`/api/v1/stream/sse?workflow_id=${taskId}`, `/api/v1/tasks/${taskId}/stream`, `/api/v1/tasks/${taskId}/timeline`]) {
        const response = await fetch(`${gateway}${path}`, { headers: foreign });
        expect([path, response.status, (await json(response)).error]).toEqual([path, 404, 'Task not found']);
      }
      const ws = await collectWs(`${gateway.replace('http', 'ws')}/api/v1/stream/ws?workflow_id=${taskId}`, { headers: foreign });
      expect(ws.refusedStatus).toBe(404);
    });

    it('refuses WebSocket upgrades with the same HTTP errors', async () => {
      const base = `${gateway.replace('http', 'ws')}/api/v1/stream/ws`;

      const unknown = await collectWs(`${base}?workflow_id=task_doesnotexist`);
      const malformed = await collectWs(`${base}?workflow_id=${taskId}&last_event_id=x`);

      expect([unknown.refusedStatus, JSON.parse(unknown.refusedBody ?? '{}').error]).toEqual([404, 'Task not found']);
      expect([malformed.refusedStatus, JSON.parse(malformed.refusedBody ?? '{}').error]).toEqual([400, 'Invalid last_event_id']);
    });
  });

  it('builds the timeline of a task from its record and its persisted events', async () => {
    const { task_id } = await submitTask(gateway, { query: 'What is the capital of France?' });
    await waitForEventLog(gateway, task_id);

    const response = await fetch(`${gateway}/api/v1/tasks/${task_id}/timeline`, { headers: API_KEY });
    const full = await json(await fetch(`${gateway}/api/v1/tasks/${task_id}/timeline?mode=full&include_payloads=true`, { headers: API_KEY }));
    const bad = await fetch(`${gateway}/api/v1/tasks/${task_id}/timeline?mode=verbose`, { headers: API_KEY });

    expect(response.status).toBe(200);
    const timeline = await json(response);
    expect(timeline.workflow_id).toBe(task_id);
    expect(timeline.events.map((event: any) => event.type)).toEqual(
      expect.arrayContaining(['TASK_SUBMITTED', 'WORKFLOW_STARTED', 'AGENT_STARTED', 'LLM_OUTPUT', 'AGENT_COMPLETED', 'WORKFLOW_COMPLETED', 'TASK_STATUS_COMPLETED']),
    );
    expect(timeline.events.map((event: any) => event.type)).not.toContain('STREAM_END');
    expect(timeline.stats).toMatchObject({ mode: 'summary', status: 'TASK_STATUS_COMPLETED', total: timeline.events.length, event_counts: { LLM_OUTPUT: 1, STREAM_END: 1 } });
    expect(full.events.find((event: any) => event.type === 'LLM_OUTPUT').payload).toMatchObject({ provider: 'mock' });
    expect(full.events.map((event: any) => event.type)).toContain('STREAM_END');
    expect(bad.status).toBe(400);
    expect((await json(bad)).error).toBe('Invalid mode parameter (summary or full)');
  });

  it('documents the streaming routes in OpenAPI', async () => {
    const openapi = await json(await fetch(`${gateway}/openapi.json`));

    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/api/v1/stream/sse', '/api/v1/stream/ws', '/api/v1/tasks/{id}/stream', '/api/v1/tasks/stream', '/api/v1/tasks/{id}/timeline']),
    );
  });

  it('closes open streams when the gateway stops, so clients resume elsewhere', async () => {
    const { task_id } = await submitTask(gateway, { query: 'Write a 300 word essay about rivers', context: { mock: { token_delay_ms: 20 } } });
    const stream = await openSse(`${gateway}/api/v1/tasks/${task_id}/stream`, { headers: API_KEY });
    await waitFor(() => stream.frames.length >= 5, { description: 'the stream to start' });

    await stack.stop(15_000);

    expect(await stream.ended).toBe(true);
    expect(stream.comments.at(-1)).toBe(`server shutting down; resume with Last-Event-ID: ${stream.lastId}`);
  });
});
