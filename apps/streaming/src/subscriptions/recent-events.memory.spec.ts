import { create } from '@bufbuild/protobuf';
import { type TaskEvent, TaskEventSchema } from '@shannon/contracts';
import { MAX_EVENTS_PER_TASK, RecentEventsMemory } from './recent-events.memory';

const event = (seq: number, type = 'LLM_PARTIAL'): TaskEvent => create(TaskEventSchema, { workflowId: 'task_1', type, seq: BigInt(seq) });

/** Reads `count` events from a follower. */
async function take(events: AsyncIterable<TaskEvent> | undefined, count: number): Promise<number[]> {
  const seen: number[] = [];
  if (!events || count === 0) {
    return seen;
  }
  for await (const e of events) {
    seen.push(Number(e.seq));
    if (seen.length === count) {
      break;
    }
  }
  return seen;
}

describe(RecentEventsMemory.name, () => {
  const A = 'ns.events.tenant-a.task_1';
  const B = 'ns.events.tenant-b.task_1';

  it('serves a task seen from its first event: what is kept, then live events, and nothing of another subject', async () => {
    const sut = new RecentEventsMemory(1_000);
    sut.record(A, event(1), 10);
    sut.record(A, event(2), 11);
    sut.record(B, event(1), 12);

    const follower = sut.followFrom(A, 1n, new AbortController().signal);
    sut.record(A, event(3), 13);
    sut.record(B, event(2), 14);

    await expect(take(follower, 3)).resolves.toEqual([1, 2, 3]);
    expect(sut.followFrom('ns.events.tenant-c.task_1', 1n, new AbortController().signal)).toBeUndefined();
  });

  it('refuses a resume point before the first event it saw of the task', () => {
    const sut = new RecentEventsMemory(1_000);
    sut.record(A, event(5), 10);

    expect(sut.followFrom(A, 4n, new AbortController().signal)).toBeUndefined();
    expect(sut.followFrom(A, 5n, new AbortController().signal)).toBeDefined();
  });

  it('keeps the latest MAX_EVENTS_PER_TASK events of a task and serves only resume points they reach', async () => {
    const sut = new RecentEventsMemory(100_000);
    for (let seq = 1; seq <= MAX_EVENTS_PER_TASK + 2; seq++) {
      sut.record(A, event(seq), 100 + seq);
    }

    expect(sut.followFrom(A, 2n, new AbortController().signal)).toBeUndefined();
    await expect(take(sut.followFrom(A, 3n, new AbortController().signal), 1)).resolves.toEqual([3]);
    // Seqs 1 and 2 (stream sequences 101 and 102) were dropped: not every event after 101 is kept.
    expect(sut.followAfter(A, 101, 1, new AbortController().signal)).toBeUndefined();
    expect(sut.followAfter(A, 102, 1, new AbortController().signal)).toBeDefined();
  });

  it('forgets the least recently active task when it keeps too many events, and then refuses what it may have lost', () => {
    const sut = new RecentEventsMemory(3);
    sut.record(A, event(1), 10);
    sut.record(B, event(1), 11);
    sut.record(A, event(2), 12);
    sut.record('ns.events.tenant-c.task_9', event(1), 13);

    expect(sut.followFrom(B, 1n, new AbortController().signal)).toBeUndefined();
    expect(sut.followFrom(A, 1n, new AbortController().signal)).toBeDefined();
    expect(sut.followAfter(B, 12, 1, new AbortController().signal)).toBeUndefined();
    expect(sut.followAfter(B, 13, 1, new AbortController().signal)).toBeDefined();
  });

  it('follows a task not seen yet only when it has read the stream since before the given sequence', async () => {
    const sut = new RecentEventsMemory(1_000);

    expect(sut.followAfter(A, 40, 50, new AbortController().signal)).toBeUndefined();
    const follower = sut.followAfter(A, 49, 50, new AbortController().signal);
    sut.record(A, event(1), 50);

    await expect(take(follower, 1)).resolves.toEqual([1]);
  });

  it('lets go of a follower when its signal aborts, and fails all followers when the stream can no longer be read', async () => {
    const sut = new RecentEventsMemory(1_000);
    sut.record(A, event(1), 10);
    const abort = new AbortController();
    const left = sut.followFrom(A, 1n, abort.signal);
    const failed = sut.followFrom(A, 1n, new AbortController().signal);
    expect(sut.followerCount).toBe(2);

    abort.abort();
    expect(sut.followerCount).toBe(1);
    await expect(take(left, 5)).resolves.toEqual([1]);

    sut.failAll(new Error('stream gone'));
    expect(sut.followerCount).toBe(0);
    await expect(take(failed, 5)).rejects.toThrow('stream gone');
    expect(sut.followFrom(A, 1n, new AbortController().signal)).toBeUndefined();
  });
});
