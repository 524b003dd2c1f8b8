import { create } from '@bufbuild/protobuf';
import { type TaskEvent, TaskEventSchema } from '@shannon/contracts';
import type { BusPosition } from '../subscriptions/replay-item';
import { EventQueue } from '../subscriptions/event-queue';
import { type CatchUpBus, type CatchUpLog, type CatchUpMemory, EventLogCatchUp } from './event-log.catch-up';
import type { NewEventLogRow } from './event-log.repository';

const TENANT = 't';
const TASK = 'task_1';
const event = (seq: number, type = 'PROGRESS', taskId = TASK): TaskEvent => create(TaskEventSchema, { workflowId: taskId, tenantId: TENANT, type, seq: BigInt(seq), message: `m${seq}` });

/**
 * The stream as the catch-up sees it: the log's consumer acked through stream sequence
 * `loggedThrough`; `published` are the task's events after it, in stream order (the stream
 * sequence of the n-th is loggedThrough + 1 + n). `later` can publish more while a read follows.
 */
function fakeBus(options: { loggedThrough: number; published: TaskEvent[]; lastLasting?: { event: TaskEvent; streamSeq: number } | null; fail?: Error }) {
  const follows: BusPosition[] = [];
  const followers: EventQueue<TaskEvent>[] = [];
  const published = [...options.published];
  const lasting = published.filter((e) => !['LLM_PARTIAL', 'LLM_PROMPT'].includes(e.type));
  const bus: CatchUpBus = {
    loggedThrough: async () => {
      if (options.fail) {
        throw options.fail;
      }
      return options.loggedThrough;
    },
    lastLasting: async () => {
      if (options.lastLasting !== undefined) {
        return options.lastLasting ?? undefined;
      }
      const last = lasting.at(-1);
      return last ? { event: last, streamSeq: options.loggedThrough + 1 + published.indexOf(last) } : undefined;
    },
    follow: (_tenant, _task, from, signal) => {
      follows.push(from);
      const queue = new EventQueue<TaskEvent>(1_000, () => new Error('overflow'));
      published.forEach((e) => queue.push(e));
      followers.push(queue);
      signal.addEventListener('abort', () => queue.close(), { once: true });
      return queue;
    },
  };
  const later = (e: TaskEvent) => followers.forEach((queue) => queue.push(e));
  return { bus, follows, later };
}

function fakeLog(streamEndSeq?: bigint) {
  const inserted: NewEventLogRow[][] = [];
  const log: CatchUpLog = {
    insertMany: async (rows) => {
      inserted.push(rows);
    },
    streamEndSeq: async () => streamEndSeq,
  };
  return { log, inserted };
}

const NO_MEMORY: CatchUpMemory = { followAfter: () => undefined };
const config = (waitMs = 60_000) => ({ EVENTLOG_READ_WAIT_MS: waitMs });
const seqs = (rows: NewEventLogRow[][]) => rows.flat().map((row) => Number(row.seq));

describe(EventLogCatchUp.name, () => {
  it("does nothing when the log already acked the task's last lasting event and the task is running", async () => {
    const { bus, follows } = fakeBus({ loggedThrough: 10, published: [], lastLasting: { event: event(3), streamSeq: 10 } });
    const { log, inserted } = fakeLog();
    await new EventLogCatchUp(log, bus, NO_MEMORY, config()).catchUp(TENANT, TASK, false);

    expect(follows).toEqual([]);
    expect(inserted).toEqual([]);
  });

  it('writes the lasting events the log has not acked yet, read from the stream after its ack floor, without the deltas', async () => {
    const { bus, follows } = fakeBus({ loggedThrough: 40, published: [event(4), event(5, 'LLM_PARTIAL'), event(6, 'LLM_OUTPUT'), event(7, 'AGENT_COMPLETED')] });
    const { log, inserted } = fakeLog();

    await new EventLogCatchUp(log, bus, NO_MEMORY, config()).catchUp(TENANT, TASK, false);

    expect(follows).toEqual([{ streamSeq: 41 }]);
    expect(seqs(inserted)).toEqual([4, 6, 7]);
    expect(inserted[0][1]).toMatchObject({ taskId: TASK, tenantId: TENANT, type: 'LLM_OUTPUT', message: 'm6' });
  });

  it("reads this process's memory instead of a consumer when it reaches back to the ack floor", async () => {
    const { bus, follows } = fakeBus({ loggedThrough: 40, published: [event(4)] });
    const memory = new EventQueue<TaskEvent>(100, () => new Error('overflow'));
    [event(3), event(4), event(5, 'STREAM_END')].forEach((e) => memory.push(e));
    const followAfter = jest.fn().mockReturnValue(memory);
    const { log, inserted } = fakeLog();

    await new EventLogCatchUp(log, bus, { followAfter }, config()).catchUp(TENANT, TASK, false);

    expect(followAfter).toHaveBeenCalledWith(TENANT, TASK, 40, expect.any(AbortSignal));
    expect(follows).toEqual([]);
    // Read until the last lasting event on the stream at the look (seq 4); what was already logged is skipped by the insert.
    expect(seqs(inserted)).toEqual([3, 4]);
  });

  it('waits for the STREAM_END of a finished task, published after its final status was written', async () => {
    const { bus, later } = fakeBus({ loggedThrough: 40, published: [event(1, 'WORKFLOW_STARTED'), event(2, 'LLM_OUTPUT')] });
    const { log, inserted } = fakeLog();

    const read = new EventLogCatchUp(log, bus, NO_MEMORY, config()).catchUp(TENANT, TASK, true);
    await new Promise(setImmediate);
    expect(inserted).toEqual([]);
    later(event(3, 'LLM_PARTIAL'));
    later(event(4, 'WORKFLOW_COMPLETED'));
    later(event(5, 'STREAM_END'));
    await read;

    expect(seqs(inserted)).toEqual([1, 2, 4, 5]);
  });

  it("waits for nothing when a finished task's STREAM_END is logged (its events aged out of the stream)", async () => {
    const { bus, follows } = fakeBus({ loggedThrough: 40, published: [], lastLasting: null });
    const { log, inserted } = fakeLog(9n);

    await new EventLogCatchUp(log, bus, NO_MEMORY, config()).catchUp(TENANT, TASK, true);

    expect(follows).toEqual([]);
    expect(inserted).toEqual([]);
  });

  it('waits at most EVENTLOG_READ_WAIT_MS for a STREAM_END that never comes, and keeps what it read', async () => {
    const { bus } = fakeBus({ loggedThrough: 40, published: [event(1, 'WORKFLOW_STARTED'), event(2, 'WORKFLOW_FAILED')] });
    const { log, inserted } = fakeLog();
    const started = Date.now();

    await new EventLogCatchUp(log, bus, NO_MEMORY, config(50)).catchUp(TENANT, TASK, true);

    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(seqs(inserted)).toEqual([1, 2]);
  });

  it("keeps only the task's own events", async () => {
    const { bus } = fakeBus({ loggedThrough: 40, published: [event(1), event(2, 'PROGRESS', 'task_2'), event(3)] });
    const { log, inserted } = fakeLog();

    await new EventLogCatchUp(log, bus, NO_MEMORY, config()).catchUp(TENANT, TASK, false);

    expect(seqs(inserted)).toEqual([1, 3]);
  });

  it('leaves the log as it is when the stream cannot be read (the read goes on from the log)', async () => {
    const { bus } = fakeBus({ loggedThrough: 40, published: [event(1)], fail: new Error('no responders') });
    const { log, inserted } = fakeLog();

    await expect(new EventLogCatchUp(log, bus, NO_MEMORY, config()).catchUp(TENANT, TASK, true)).resolves.toBeUndefined();
    expect(inserted).toEqual([]);
  });
});
