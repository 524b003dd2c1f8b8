import { create } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { type TaskEvent, TaskEventSchema } from '@shannon/contracts';
import type { BusPosition, EventBusSource, EventLogSource, RecentEventsSource, ReplayItem } from './replay-item';
import { RecentEventsMemory } from './recent-events.memory';
import { type ReplayOptions, TaskEventReplay } from './task-event.replay';

const event = (seq: number, type = 'LLM_PARTIAL'): TaskEvent => create(TaskEventSchema, { workflowId: 'task_1', type, seq: BigInt(seq), message: `m${seq}` });

/** A bus that yields `events` (in the order given) and then waits, as a live stream does, until aborted. */
function fakeBus(events: TaskEvent[], keepsTask = true) {
  const calls: { from: BusPosition; signal: AbortSignal }[] = [];
  const bus: EventBusSource = {
    retention: async () => ({ keepsTask, lastStreamSeq: 41 }),
    follow: async function* (_tenant, _task, from, signal) {
      calls.push({ from, signal });
      yield* events;
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    },
  };
  return { bus, calls };
}

/** A process memory that keeps nothing: every replay reads the bus. */
const NOTHING_KEPT: RecentEventsSource = { followFrom: () => undefined, followAfter: () => undefined };

function fakeLog(events: TaskEvent[]): EventLogSource {
  return {
    after: async (_t, _k, afterSeq, limit) => events.filter((e) => e.seq > afterSeq).slice(0, limit),
    between: async (_t, _k, from, to) => events.filter((e) => e.seq >= from && e.seq <= to),
    lastSeq: async () => events.at(-1)?.seq,
    streamEndSeq: async () => events.find((e) => e.type === 'STREAM_END')?.seq,
  };
}

const options = (overrides: Partial<ReplayOptions> = {}): ReplayOptions => ({
  tenantId: 't',
  taskId: 'task_1',
  afterSeq: 0n,
  types: new Set(),
  reorderWindowMs: 60_000,
  maxHeld: 100,
  ...overrides,
});

/** What a subscriber sees: `3` for an event, `gap 4-6` for a gap. */
async function read(sut: TaskEventReplay, signal = new AbortController().signal): Promise<string[]> {
  const seen: string[] = [];
  for await (const item of sut.items(signal)) {
    seen.push(show(item));
  }
  return seen;
}

const show = (item: ReplayItem) => (item.kind === 'event' ? `${item.event.seq}` : `gap ${item.fromSeq}-${item.toSeq}`);

describe(TaskEventReplay.name, () => {
  it('replays a task from its first event and ends after STREAM_END, releasing the bus', async () => {
    const { bus, calls } = fakeBus([event(1), event(2), event(3, 'STREAM_END')]);
    const sut = new TaskEventReplay(fakeLog([]), bus, NOTHING_KEPT, options());

    expect(await read(sut)).toEqual(['1', '2', '3']);
    expect(calls).toHaveLength(1);
    expect(calls[0].from).toBe('first');
    expect(calls[0].signal.aborted).toBe(true);
  });

  it('delivers only what follows the resume point', async () => {
    const { bus } = fakeBus([event(1), event(2), event(3), event(4, 'STREAM_END')]);
    const sut = new TaskEventReplay(fakeLog([]), bus, NOTHING_KEPT, options({ afterSeq: 2n }));

    expect(await read(sut)).toEqual(['3', '4']);
  });

  it('drops repeats (redeliveries and republished seqs)', async () => {
    const { bus } = fakeBus([event(1), event(2), event(2), event(1), event(3), event(2), event(4, 'STREAM_END')]);
    const sut = new TaskEventReplay(fakeLog([]), bus, NOTHING_KEPT, options());

    expect(await read(sut)).toEqual(['1', '2', '3', '4']);
  });

  it('puts events that arrive ahead of their turn back in order', async () => {
    const { bus } = fakeBus([event(1), event(3), event(4), event(2), event(5, 'STREAM_END')]);
    const sut = new TaskEventReplay(fakeLog([]), bus, NOTHING_KEPT, options());

    expect(await read(sut)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('takes what aged out of the stream from the log and names the rest as a gap', async () => {
    const { bus } = fakeBus([event(6), event(7, 'STREAM_END')]);
    const log = fakeLog([event(1, 'WORKFLOW_STARTED'), event(2, 'AGENT_STARTED'), event(5, 'LLM_OUTPUT'), event(7, 'STREAM_END')]);
    const sut = new TaskEventReplay(log, bus, NOTHING_KEPT, options({ reorderWindowMs: 1 }));

    expect(await read(sut)).toEqual(['1', '2', 'gap 3-4', '5', '6', '7']);
  });

  it('serves a task the stream no longer keeps from the log alone, with its gaps, without following the bus', async () => {
    const { bus, calls } = fakeBus([], false);
    const log = fakeLog([event(1, 'WORKFLOW_STARTED'), event(4, 'LLM_OUTPUT'), event(5, 'WORKFLOW_COMPLETED'), event(7, 'STREAM_END')]);
    const sut = new TaskEventReplay(log, bus, NOTHING_KEPT, options({ afterSeq: 1n }));

    const items: ReplayItem[] = [];
    for await (const item of sut.items(new AbortController().signal)) {
      items.push(item);
    }

    expect(items.map(show)).toEqual(['gap 2-3', '4', '5', 'gap 6-6', '7']);
    expect(items[0]).toMatchObject({ reason: expect.stringContaining('no longer kept') });
    expect(calls).toHaveLength(0);
  });

  it('takes a young task that runs while it looks from the stream, deltas included, not from the log', async () => {
    // Not in the stream when looked at; right after, the task runs and its lasting events are
    // logged: the log holds no deltas, the stream after that look has them all.
    const logged: TaskEvent[] = [];
    const ran = [event(1, 'WORKFLOW_STARTED'), event(2), event(3), event(4, 'LLM_OUTPUT'), event(5, 'STREAM_END')];
    const { bus, calls } = fakeBus(ran, false);
    const lookAtStream = bus.retention;
    bus.retention = async (tenantId, taskId) => {
      const retention = await lookAtStream(tenantId, taskId);
      logged.push(...ran.filter((e) => e.type !== 'LLM_PARTIAL'));
      return retention;
    };
    const sut = new TaskEventReplay(fakeLog(logged), bus, NOTHING_KEPT, options());

    expect(await read(sut)).toEqual(['1', '2', '3', '4', '5']);
    expect(calls[0].from).toEqual({ streamSeq: 42 });
  });

  it('reads the log only as far as it reached when looked at, then follows the stream', async () => {
    // An old task the stream no longer keeps, resumed right after the look at the stream.
    const logged = [event(1, 'WORKFLOW_STARTED'), event(4, 'LLM_OUTPUT')];
    const { bus } = fakeBus([event(5), event(6), event(7, 'STREAM_END')], false);
    const lookAtStream = bus.retention;
    bus.retention = async (tenantId, taskId) => {
      const retention = await lookAtStream(tenantId, taskId);
      logged.push(event(7, 'STREAM_END'));
      return retention;
    };
    const sut = new TaskEventReplay(fakeLog(logged), bus, NOTHING_KEPT, options({ reorderWindowMs: 1 }));

    expect(await read(sut)).toEqual(['1', 'gap 2-3', '4', '5', '6', '7']);
  });

  it('follows a task that has not started from the end of the stream', async () => {
    const { bus, calls } = fakeBus([event(1), event(2, 'STREAM_END')], false);
    const sut = new TaskEventReplay(fakeLog([]), bus, NOTHING_KEPT, options());

    expect(await read(sut)).toEqual(['1', '2']);
    expect(calls[0].from).toEqual({ streamSeq: 42 });
  });

  it('after the reorder window, fills a hole from the log or reports it as a gap', async () => {
    const { bus } = fakeBus([event(1), event(3), event(5), event(6, 'STREAM_END')]);
    const log = fakeLog([event(4, 'TOOL_INVOKED')]);
    const sut = new TaskEventReplay(log, bus, NOTHING_KEPT, options({ reorderWindowMs: 1 }));

    expect(await read(sut)).toEqual(['1', 'gap 2-2', '3', '4', '5', '6']);
  });

  it('settles a hole at once when too many events wait behind it', async () => {
    const { bus } = fakeBus([event(1), event(3), event(4), event(5), event(6, 'STREAM_END')]);
    const sut = new TaskEventReplay(fakeLog([]), bus, NOTHING_KEPT, options({ maxHeld: 2 }));

    expect(await read(sut)).toEqual(['1', 'gap 2-2', '3', '4', '5', '6']);
  });

  it('filters by type but always delivers gaps and STREAM_END', async () => {
    const { bus } = fakeBus([event(4), event(5, 'LLM_OUTPUT'), event(6, 'WORKFLOW_COMPLETED'), event(7, 'STREAM_END')]);
    const log = fakeLog([event(1, 'WORKFLOW_STARTED')]);
    const sut = new TaskEventReplay(log, bus, NOTHING_KEPT, options({ types: new Set(['LLM_OUTPUT']), reorderWindowMs: 1 }));

    expect(await read(sut)).toEqual(['gap 2-3', '5', '7']);
  });

  it('ends at once, sending nothing, when the resume point is after the end of the task', async () => {
    const { bus } = fakeBus([event(1), event(2), event(3, 'STREAM_END')]);
    const sut = new TaskEventReplay(fakeLog([]), bus, NOTHING_KEPT, options({ afterSeq: 7n }));

    expect(await read(sut)).toEqual([]);
  });

  it('ends at once when the log alone shows the resume point is after the end of the task', async () => {
    const { bus, calls } = fakeBus([], false);
    const sut = new TaskEventReplay(fakeLog([event(1, 'WORKFLOW_STARTED'), event(9, 'STREAM_END')]), bus, NOTHING_KEPT, options({ afterSeq: 9n }));

    expect(await read(sut)).toEqual([]);
    expect(calls).toHaveLength(0);
  });

  it('stops and releases the bus when the subscriber goes away', async () => {
    const { bus, calls } = fakeBus([event(1), event(2)]);
    const abort = new AbortController();
    const sut = new TaskEventReplay(fakeLog([]), bus, NOTHING_KEPT, options());
    const seen: string[] = [];

    for await (const item of sut.items(abort.signal)) {
      seen.push(show(item));
      if (seen.length === 2) {
        abort.abort();
      }
    }

    expect(seen).toEqual(['1', '2']);
    expect(calls[0].signal.aborted).toBe(true);
  });

  it('yields every event after the resume point exactly once, in order, however the bus repeats and reorders them', async () => {
    const arrival = fc
      .integer({ min: 1, max: 40 })
      .chain((length) =>
        fc.record({
          length: fc.constant(length),
          afterSeq: fc.integer({ min: 0, max: length }),
          // Each event arrives once or more, each arrival at a random place.
          arrivals: fc.array(fc.tuple(fc.integer({ min: 1, max: length }), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 3 * length }),
          keys: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: length, maxLength: length }),
        }),
      );
    await fc.assert(
      fc.asyncProperty(arrival, async ({ length, afterSeq, arrivals, keys }) => {
        const order = [...keys.map((key, i) => [i + 1, key] as const), ...arrivals].sort((a, b) => a[1] - b[1]).map(([seq]) => seq);
        const { bus } = fakeBus(order.map((seq) => event(seq, seq === length ? 'STREAM_END' : 'LLM_PARTIAL')));
        const sut = new TaskEventReplay(fakeLog([]), bus, NOTHING_KEPT, options({ afterSeq: BigInt(afterSeq), maxHeld: 1_000 }));

        const seen = await read(sut);

        expect(seen).toEqual(Array.from({ length: length - afterSeq }, (_, i) => String(afterSeq + i + 1)));
      }),
      { numRuns: 200 },
    );
  });

  describe('with events kept in memory', () => {
    const A = 'ns.events.t.task_1';
    /** A memory that has read the stream since stream sequence 1 and keeps `subject` under 't'/'task_1'. */
    function memoryOf(memory: RecentEventsMemory): RecentEventsSource {
      return {
        followFrom: (_tenant, _task, nextSeq, signal) => memory.followFrom(A, nextSeq, signal),
        followAfter: (_tenant, _task, streamSeq, signal) => memory.followAfter(A, streamSeq, 1, signal),
      };
    }

    it('serves a task it has seen from the resume point from memory and then live, without asking the bus', async () => {
      const { bus, calls } = fakeBus([]);
      const retention = jest.spyOn(bus, 'retention');
      const memory = new RecentEventsMemory(1_000);
      memory.record(A, event(1), 1);
      memory.record(A, event(2), 2);
      const sut = new TaskEventReplay(fakeLog([]), bus, memoryOf(memory), options());

      const reading = read(sut);
      await new Promise((resolve) => setImmediate(resolve));
      memory.record(A, event(3, 'STREAM_END'), 3);

      await expect(reading).resolves.toEqual(['1', '2', '3']);
      expect(retention).not.toHaveBeenCalled();
      expect(calls).toHaveLength(0);
      expect(memory.followerCount).toBe(0);
    });

    it('follows a task that has not begun from memory after reading the log, without a bus consumer', async () => {
      const { bus, calls } = fakeBus([], false);
      const memory = new RecentEventsMemory(1_000);
      const sut = new TaskEventReplay(fakeLog([]), bus, memoryOf(memory), options());

      const reading = read(sut);
      await new Promise((resolve) => setImmediate(resolve));
      memory.record(A, event(1), 42);
      memory.record(A, event(2, 'STREAM_END'), 43);

      await expect(reading).resolves.toEqual(['1', '2']);
      expect(calls).toHaveLength(0);
    });

    it('reads the bus when memory does not reach back to the resume point', async () => {
      const { bus, calls } = fakeBus([event(1), event(2), event(3, 'STREAM_END')]);
      const memory = new RecentEventsMemory(1_000);
      memory.record(A, event(3, 'STREAM_END'), 3);
      const sut = new TaskEventReplay(fakeLog([]), bus, memoryOf(memory), options());

      await expect(read(sut)).resolves.toEqual(['1', '2', '3']);
      expect(calls).toHaveLength(1);
    });
  });
});
