import { Code, ConnectError } from '@connectrpc/connect';
import { newIdentity, waitFor } from '@shannon/testing';
import { randomUUID } from 'node:crypto';
import { type StreamingTestApp, startStreamingTestApp } from './streaming-test-app';
import { RUN, show, subscribeHelpers } from './subscribe-helpers';

/**
 * Subscribe over real gRPC, against the real EVENTS stream and event log of this run's namespace,
 * with nothing kept in memory: every subscription reads the stream with a consumer of its own
 * (subscribe-recent.int-spec.ts covers the memory).
 */
describe('StreamingService.Subscribe', () => {
  let app: StreamingTestApp;
  const { as, publish, publishRun, readAll, readerConsumers } = subscribeHelpers(() => app);

  beforeAll(async () => {
    app = await startStreamingTestApp('subscribe', { SUBSCRIBE_REORDER_WINDOW_MS: '200', STREAM_RECENT_EVENTS: '0' });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('replays a finished task, token deltas included, and ends after STREAM_END', async () => {
    const owner = newIdentity();
    const taskId = `task_${randomUUID()}`;
    await publishRun(owner, taskId);

    expect(await readAll(owner, taskId)).toEqual(RUN.map((type, i) => `${i + 1} ${type}`));
  });

  it('resumes after a seq', async () => {
    const owner = newIdentity();
    const taskId = `task_${randomUUID()}`;
    await publishRun(owner, taskId);

    expect(await readAll(owner, taskId, 5)).toEqual(['6 LLM_PARTIAL', '7 LLM_OUTPUT', '8 WORKFLOW_COMPLETED', '9 STREAM_END']);
  });

  it('streams history, then live events as they are published, in order and once', async () => {
    const owner = newIdentity();
    const taskId = `task_${randomUUID()}`;
    await publishRun(owner, taskId, RUN.slice(0, 3));
    const seen: string[] = [];
    const reading = (async () => {
      for await (const response of app.sut.subscribe({ taskId, afterSeq: 0n, types: [] }, as(owner))) {
        seen.push(show(response));
      }
    })();
    await waitFor(() => seen.length === 3, { description: 'the history' });

    // A redelivered publish (same seq, new message id) and a live run of the rest.
    await publish(owner, taskId, 2, 'AGENT_STARTED', `${taskId}:2:again`);
    await publishRun(owner, taskId, RUN.slice(3), 4);
    await reading;

    expect(seen).toEqual(RUN.map((type, i) => `${i + 1} ${type}`));
  });

  it('starts a task that has not begun from its first event', async () => {
    const owner = newIdentity();
    const taskId = `task_${randomUUID()}`;
    const before = await readerConsumers();
    const seen = readAll(owner, taskId);
    await waitFor(async () => (await readerConsumers()) > before, { description: 'the subscription to follow the stream' });
    await publishRun(owner, taskId, ['WORKFLOW_STARTED', 'STREAM_END']);

    expect(await seen).toEqual(['1 WORKFLOW_STARTED', '2 STREAM_END']);
  });

  it('filters by type, still ending with STREAM_END', async () => {
    const owner = newIdentity();
    const taskId = `task_${randomUUID()}`;
    await publishRun(owner, taskId);

    expect(await readAll(owner, taskId, 0, ['LLM_OUTPUT', 'WORKFLOW_COMPLETED'])).toEqual(['7 LLM_OUTPUT', '8 WORKFLOW_COMPLETED', '9 STREAM_END']);
  });

  it('serves what the stream no longer keeps from the event log and names the missing token deltas as a gap', async () => {
    const owner = newIdentity();
    const taskId = `task_${randomUUID()}`;
    await app.waitForEventLogCaughtUp(await publishRun(owner, taskId));
    await app.jsm.streams.purge(app.names.eventsStream, { filter: app.names.taskEventsSubject(owner.tenantId, taskId) });

    expect(await readAll(owner, taskId)).toEqual(['1 WORKFLOW_STARTED', '2 AGENT_STARTED', 'gap 3-6', '7 LLM_OUTPUT', '8 WORKFLOW_COMPLETED', '9 STREAM_END']);
    expect(await readAll(owner, taskId, 4)).toEqual(['gap 5-6', '7 LLM_OUTPUT', '8 WORKFLOW_COMPLETED', '9 STREAM_END']);
  });

  it("never shows one tenant another tenant's events for the same task id", async () => {
    const owner = newIdentity();
    const stranger = newIdentity();
    const taskId = `task_${randomUUID()}`;
    await publishRun(owner, taskId);
    const before = await readerConsumers();
    const seen = readAll(stranger, taskId);
    await waitFor(async () => (await readerConsumers()) > before, { description: "the stranger's subscription to follow the stream" });
    await publish(stranger, taskId, 1, 'STREAM_END', `${stranger.tenantId}:${taskId}:1`);

    expect(await seen).toEqual(['1 STREAM_END']);
  });

  it('releases its stream consumer when the caller goes away', async () => {
    const owner = newIdentity();
    const taskId = `task_${randomUUID()}`;
    await publishRun(owner, taskId, RUN.slice(0, 2));
    const before = await readerConsumers();
    const abort = new AbortController();
    const reading = (async () => {
      for await (const _response of app.sut.subscribe({ taskId, afterSeq: 0n, types: [] }, as(owner, abort.signal))) {
        abort.abort();
      }
    })();
    await expect(reading).rejects.toThrow();

    await waitFor(async () => (await readerConsumers()) === before, { description: 'the consumer to be deleted' });
  });

  it('refuses a malformed task id', async () => {
    const reading = readAll(newIdentity(), 'not a task id');

    await expect(reading).rejects.toMatchObject({ code: Code.InvalidArgument });
    await expect(reading).rejects.toBeInstanceOf(ConnectError);
  });
});
