import { newIdentity, waitFor } from '@shannon/testing';
import { randomUUID } from 'node:crypto';
import { RecentTaskEvents } from '../src/subscriptions/recent-task-events';
import { type StreamingTestApp, startStreamingTestApp } from './streaming-test-app';
import { RUN, show, subscribeHelpers } from './subscribe-helpers';

/**
 * Subscribe served from what the service keeps in memory of recent events (RecentTaskEvents): the
 * same answers as from the stream, with no consumer per subscription.
 */
describe('StreamingService.Subscribe from recent events', () => {
  let app: StreamingTestApp;
  const { as, publish, publishRun, readAll, readerConsumers } = subscribeHelpers(() => app);
  /** What the service keeps in memory of recent events. */
  const recent = () => app.get(RecentTaskEvents);

  /** Waits until the service has read the stream up to `streamSeq`. */
  const recorded = (streamSeq: number) => waitFor(() => recent().readThrough >= streamSeq || undefined, { description: `recent events through ${streamSeq}` });

  beforeAll(async () => {
    app = await startStreamingTestApp('recent', { SUBSCRIBE_REORDER_WINDOW_MS: '200' });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('streams a task it has read, history then live, in order and once, without a consumer of its own', async () => {
    const owner = newIdentity();
    const taskId = `task_${randomUUID()}`;
    await recorded(await publishRun(owner, taskId, RUN.slice(0, 3)));
    const before = await readerConsumers();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const response of app.sut.subscribe({ taskId, afterSeq: 0n, types: [] }, as(owner))) {
        seen.push(show(response));
      }
    })();
    await waitFor(() => seen.length === 3, { description: 'the history' });
    expect(await readerConsumers()).toBe(before);

    await publishRun(owner, taskId, RUN.slice(3), 4);
    await reading;

    expect(seen).toEqual(RUN.map((type, i) => `${i + 1} ${type}`));
    expect(recent().followerCount).toBe(0);
  });

  it('follows a task that has not begun from its first event without a consumer of its own', async () => {
    const owner = newIdentity();
    const taskId = `task_${randomUUID()}`;
    const before = await readerConsumers();
    const seen = readAll(owner, taskId);
    await waitFor(() => recent().followerCount > 0 || undefined, { description: 'the subscription to follow' });
    expect(await readerConsumers()).toBe(before);

    await publishRun(owner, taskId, ['WORKFLOW_STARTED', 'STREAM_END']);

    expect(await seen).toEqual(['1 WORKFLOW_STARTED', '2 STREAM_END']);
  });

  it('resumes after a seq and filters by type from memory', async () => {
    const owner = newIdentity();
    const taskId = `task_${randomUUID()}`;
    await recorded(await publishRun(owner, taskId));

    expect(await readAll(owner, taskId, 5)).toEqual(['6 LLM_PARTIAL', '7 LLM_OUTPUT', '8 WORKFLOW_COMPLETED', '9 STREAM_END']);
    expect(await readAll(owner, taskId, 0, ['LLM_OUTPUT'])).toEqual(['7 LLM_OUTPUT', '9 STREAM_END']);
  });

  it('still serves token deltas the stream no longer keeps while memory has them', async () => {
    const owner = newIdentity();
    const taskId = `task_${randomUUID()}`;
    await recorded(await publishRun(owner, taskId));
    await app.jsm.streams.purge(app.names.eventsStream, { filter: app.names.taskEventsSubject(owner.tenantId, taskId) });

    expect(await readAll(owner, taskId)).toEqual(RUN.map((type, i) => `${i + 1} ${type}`));
  });

  it("never shows one tenant another tenant's events for the same task id", async () => {
    const owner = newIdentity();
    const stranger = newIdentity();
    const taskId = `task_${randomUUID()}`;
    await recorded(await publishRun(owner, taskId));
    const seen = readAll(stranger, taskId);
    await waitFor(() => recent().followerCount > 0 || undefined, { description: "the stranger's subscription to follow" });
    await publish(stranger, taskId, 1, 'STREAM_END', `${stranger.tenantId}:${taskId}:1`);

    expect(await seen).toEqual(['1 STREAM_END']);
  });
});
