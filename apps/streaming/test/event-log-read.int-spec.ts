import type { CallerIdentity } from '@shannon/auth';
import { newIdentity, waitFor } from '@shannon/testing';
import { randomUUID } from 'node:crypto';
import { RecentTaskEvents } from '../src/subscriptions/recent-task-events';
import { type StreamingTestApp, startStreamingTestApp } from './streaming-test-app';
import { RUN, subscribeHelpers } from './subscribe-helpers';

/** The lasting events of RUN (no prompt, no token deltas): what its history holds, in seq order. */
const HISTORY = RUN.map((type, i) => `${i + 1} ${type}`).filter((line) => !/LLM_PROMPT|LLM_PARTIAL/.test(line));

/**
 * ListEvents is read-your-writes (ADR 0050): it holds every lasting event published before the call,
 * however far the log's batched writer lags, and a finished task's events through STREAM_END.
 * The writer is slowed down (one batch every 5 s) so that it never catches up within a test.
 */
describe.each([
  ['from this process memory of recent events', {}],
  ['from a consumer of its own (memory off)', { STREAM_RECENT_EVENTS: '0' }],
])('StreamingService.ListEvents before the event log has written the events (%s)', (_label, env: Record<string, string>) => {
  let app: StreamingTestApp;
  const { as, publishRun } = subscribeHelpers(() => app);

  const history = async (owner: CallerIdentity, taskId: string, page: { limit?: number; offset?: number; taskFinished?: boolean } = {}) => {
    const answer = await app.sut.listEvents({ taskId, ...page }, as(owner));
    return { count: answer.count, events: answer.events.map((event) => `${event.seq} ${event.type}`) };
  };

  /** The log's consumer has acked nothing of the task yet: what a read returns does not come from it. */
  const expectNotLoggedYet = async () => {
    const info = await app.jsm.consumers.info(app.names.eventsStream, app.names.eventLogConsumer);
    expect(info.num_ack_pending + info.num_pending).toBeGreaterThan(0);
  };

  beforeAll(async () => {
    // A read that waited for a STREAM_END already published would hit the test's timeout.
    app = await startStreamingTestApp('log-read', { EVENTLOG_BATCH_INTERVAL_MS: '5000', EVENTLOG_READ_WAIT_MS: '20000', ...env });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('holds every lasting event published before the read, in seq order, once', async () => {
    const owner = newIdentity();
    const taskId = `task_${randomUUID()}`;
    await publishRun(owner, taskId);

    const answer = await history(owner, taskId);

    await expectNotLoggedYet();
    expect(answer).toEqual({ count: HISTORY.length, events: HISTORY });
    // A second read, and the log's own writes later, add nothing.
    expect(await history(owner, taskId)).toEqual(answer);
  });

  it('pages through the history as through a log that had caught up', async () => {
    const owner = newIdentity();
    const taskId = `task_${randomUUID()}`;
    await publishRun(owner, taskId);

    const pages = [await history(owner, taskId, { limit: 2 }), await history(owner, taskId, { limit: 2, offset: 2 }), await history(owner, taskId, { limit: 2, offset: 4 })];

    expect(pages.map((page) => page.count)).toEqual([5, 5, 5]);
    expect(pages.flatMap((page) => page.events)).toEqual(HISTORY);
  });

  it("holds a running task's events up to the read, and shows another tenant nothing of them", async () => {
    const owner = newIdentity();
    const taskId = `task_${randomUUID()}`;
    await publishRun(owner, taskId, RUN.slice(0, 7));

    expect(await history(newIdentity(), taskId)).toEqual({ count: 0, events: [] });
    expect(await history(owner, taskId)).toEqual({ count: 3, events: HISTORY.slice(0, 3) });
  });

  it('waits for the closing events of a task the caller saw finished (they are published just after its final status is written)', async () => {
    const owner = newIdentity();
    const taskId = `task_${randomUUID()}`;
    await publishRun(owner, taskId, RUN.slice(0, 7));
    const followersBefore = app.get(RecentTaskEvents).followerCount;
    const consumersBefore = (await app.jsm.consumers.list(app.names.eventsStream).next()).length;

    const reading = history(owner, taskId, { taskFinished: true });
    // The read is waiting on the stream (a follower of the memory, or a consumer of its own).
    await waitFor(
      async () => app.get(RecentTaskEvents).followerCount > followersBefore || (await app.jsm.consumers.list(app.names.eventsStream).next()).length > consumersBefore || undefined,
      { description: 'the read to follow the task' },
    );
    await publishRun(owner, taskId, RUN.slice(7), 8);

    expect(await reading).toEqual({ count: HISTORY.length, events: HISTORY });
  });

  it("ListEventsForTasks (a session's turns): the tasks named to catch up hold what was published before the read, the others what the log has", async () => {
    const owner = newIdentity();
    const [caughtUp, finished, notNamed] = [1, 2, 3].map(() => `task_${randomUUID()}`);
    await publishRun(owner, caughtUp, RUN.slice(0, 7));
    await publishRun(owner, finished);
    await publishRun(owner, notNamed);

    const answer = await app.sut.listEventsForTasks(
      { taskIds: [caughtUp, finished, notNamed], catchUp: [{ taskId: caughtUp }, { taskId: finished, taskFinished: true }] },
      as(owner),
    );

    await expectNotLoggedYet();
    const of = (taskId: string) => answer.events.filter((event) => event.workflowId === taskId).map((event) => `${event.seq} ${event.type}`);
    expect(of(caughtUp)).toEqual(HISTORY.slice(0, 3));
    expect(of(finished)).toEqual(HISTORY);
    expect(of(notNamed)).toEqual([]);
    expect(answer.totalCount).toBe(3 + HISTORY.length);
  });

  it('ListEventsForTasks refuses more than 16 tasks to catch up, and a malformed id among them', async () => {
    const owner = newIdentity();
    const many = Array.from({ length: 17 }, () => `task_${randomUUID()}`);

    await expect(app.sut.listEventsForTasks({ taskIds: many, catchUp: many.map((taskId) => ({ taskId })) }, as(owner))).rejects.toThrow(/At most 16 tasks to catch up/);
    await expect(app.sut.listEventsForTasks({ taskIds: ['a b'], catchUp: [{ taskId: 'a b' }] }, as(owner))).rejects.toThrow(/task_id must match/);
  });

  it('answers at once for a finished task whose events were all published', async () => {
    const owner = newIdentity();
    const taskId = `task_${randomUUID()}`;
    await publishRun(owner, taskId);
    const started = Date.now();

    expect(await history(owner, taskId, { taskFinished: true })).toEqual({ count: HISTORY.length, events: HISTORY });
    // Far from the 20 s the read would wait for a STREAM_END it did not see.
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
