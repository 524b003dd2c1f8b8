/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are checked by the assertions */
import { waitFor } from '@shannon/testing';
import { type RunningStack, startTestStack } from './running-stack';
import { readSse } from './sse-client';
import { API_KEY, json, submitTask } from './task-api';

/** The lasting events of a mock answer, in seq order: its persisted history. */
const HISTORY = ['WORKFLOW_STARTED', 'AGENT_STARTED', 'LLM_OUTPUT', 'AGENT_COMPLETED', 'WORKFLOW_COMPLETED', 'STREAM_END'];

/**
 * Read-your-writes for a task's history (ADR 0050): once the status is final, or once a stream
 * said `done`, GET /events and /timeline hold the whole run at once. The event log's writer is
 * slowed down to one batch every 5 s, so a history read from the log alone would be empty.
 */
describe('task history right after the task ends (built services as processes)', () => {
  let stack: RunningStack;
  let gateway: string;

  const get = async (path: string) => json(await fetch(`${gateway}${path}`, { headers: API_KEY }));

  beforeAll(async () => {
    stack = await startTestStack({ EVENTLOG_BATCH_INTERVAL_MS: '5000' });
    gateway = stack.gatewayUrl;
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('polling the status until it is final and then reading the events gets every event, and so does the timeline', async () => {
    const { task_id } = await submitTask(gateway, { query: 'What is the capital of France?' });
    await waitFor(async () => (await get(`/api/v1/tasks/${task_id}`)).status === 'TASK_STATUS_COMPLETED' || undefined, {
      timeoutMs: 20_000,
      intervalMs: 10,
      description: 'the task to complete',
    });

    const events = await get(`/api/v1/tasks/${task_id}/events`);
    const timeline = await get(`/api/v1/tasks/${task_id}/timeline`);
    const page = await get(`/api/v1/tasks/${task_id}/events?limit=2&offset=2`);

    expect(events.count).toBe(HISTORY.length);
    expect(events.events.map((event: any) => event.type)).toEqual(HISTORY);
    const seqs = events.events.map((event: any) => event.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(page).toEqual({ events: events.events.slice(2, 4), count: HISTORY.length });
    // The summary: the task's record and its lifecycle events (the final status and WORKFLOW_COMPLETED
    // may fall in the same millisecond, in either order).
    expect(timeline.events.map((event: any) => event.type).sort()).toEqual(
      ['TASK_SUBMITTED', 'WORKFLOW_STARTED', 'AGENT_STARTED', 'LLM_OUTPUT', 'AGENT_COMPLETED', 'WORKFLOW_COMPLETED', 'TASK_STATUS_COMPLETED'].sort(),
    );
    expect(timeline.stats.event_counts).toEqual(Object.fromEntries(HISTORY.map((type) => [type, 1])));
  });

  it('reading the events right after a stream said done gets every lasting event the stream sent', async () => {
    const { task_id } = await submitTask(gateway, { query: 'What is the capital of France?' });
    const stream = await readSse(`${gateway}/api/v1/tasks/${task_id}/stream`, { headers: API_KEY });

    const events = await get(`/api/v1/tasks/${task_id}/events?limit=200`);

    expect(stream.frames.at(-1)?.event).toBe('done');
    const streamed = stream.frames.filter((frame) => frame.event !== 'thread.message.delta' && frame.event !== 'LLM_PROMPT').map((frame) => Number(frame.id));
    expect(events.events.map((event: any) => event.seq)).toEqual(streamed);
    expect(events.events.map((event: any) => event.type)).toEqual(HISTORY);
  });

  it("a session's events, read once the session shows a turn running or finished, hold what that turn published", async () => {
    const session = `history-${Date.now()}`;
    const { task_id } = await submitTask(gateway, { query: 'What is the capital of France?', session_id: session });
    await waitFor(async () => (await get(`/api/v1/sessions/${session}/history`)).tasks?.[0]?.status === 'COMPLETED' || undefined, {
      timeoutMs: 20_000,
      intervalMs: 10,
      description: 'the session to show the turn completed',
    });

    const page = await get(`/api/v1/sessions/${session}/events`);
    const running = await submitTask(gateway, { query: 'Write a 2000 word essay about rivers', session_id: session, context: { mock: { token_delay_ms: 20 } } });
    await readSse(`${gateway}/api/v1/tasks/${running.task_id}/stream?types=AGENT_STARTED`, {
      headers: API_KEY,
      onFrame: (frame, connection) => frame.event === 'AGENT_STARTED' && connection.abort(),
    });
    const whileRunning = await get(`/api/v1/sessions/${session}/events`);

    expect(page.turns.map((turn: any) => [turn.task_id, turn.events.map((event: any) => event.type)])).toEqual([[task_id, HISTORY]]);
    expect(whileRunning.turns[1].events.map((event: any) => event.type)).toEqual(['WORKFLOW_STARTED', 'AGENT_STARTED']);
    await fetch(`${gateway}/api/v1/tasks/${running.task_id}/cancel`, { method: 'POST', headers: API_KEY });
  });
});
