import { Logger } from '@nestjs/common';
import { waitFor } from '@shannon/testing';
import fc from 'fast-check';
import type { StreamSettings } from './stream-context';
import { StreamHub } from './stream-hub';
import { cursorAfter, isStreamEnd, type StreamItem } from './stream-item';
import type { StreamRequest } from './stream-request';
import type { CloseReason, StreamSink } from './stream-sink';
import type { TaskEventSource } from './task-event.upstream';

const principal = { tenantId: 'tenant', userId: 'user' };

function item(seq: number, type = 'LLM_PARTIAL'): StreamItem {
  return { kind: 'event', seq, event: { workflow_id: 'task_1', type, timestamp: '', seq } };
}

/** The streaming service as the hub sees it: what has been published so far, then waiting for more. */
class FakeSource implements TaskEventSource {
  readonly published: StreamItem[] = [];
  active = 0;
  calls = 0;
  private waiters = new Set<() => void>();

  publish(...items: StreamItem[]): void {
    this.published.push(...items);
    this.waiters.forEach((wake) => wake());
    this.waiters.clear();
  }

  async *follow(_principal: unknown, _taskId: string, afterSeq: number, types: readonly string[], signal: AbortSignal): AsyncGenerator<StreamItem> {
    this.active += 1;
    this.calls += 1;
    try {
      let cursor = afterSeq;
      while (!signal.aborted) {
        const next = this.published.find((candidate) => cursorAfter(candidate) > cursor);
        if (!next) {
          if (this.published.some(isStreamEnd)) {
            return; // the resume point is after the end of the task
          }
          await new Promise<void>((resolve) => {
            const wake = () => {
              signal.removeEventListener('abort', wake);
              this.waiters.delete(wake);
              resolve();
            };
            this.waiters.add(wake);
            signal.addEventListener('abort', wake, { once: true });
          });
          continue;
        }
        cursor = cursorAfter(next);
        if (types.length === 0 || next.kind === 'gap' || isStreamEnd(next) || types.includes(next.event.type)) {
          yield next;
        }
        if (isStreamEnd(next)) {
          return;
        }
      }
    } finally {
      this.active -= 1;
    }
  }
}

/** A client connection whose reading the test controls. */
class FakeSink implements StreamSink {
  readonly written: StreamItem[] = [];
  buffered = 0;
  heartbeats = 0;
  closed?: { reason: CloseReason; cursor: number };
  onWrite?: (item: StreamItem) => void;
  private drainListener?: () => void;
  private closeListener?: () => void;
  private settle!: () => void;
  /** Resolves when the connection ends, by either side. */
  readonly ended = new Promise<void>((resolve) => (this.settle = resolve));

  get seqs(): number[] {
    return this.written.map(cursorAfter);
  }

  write(written: StreamItem): void {
    this.written.push(written);
    this.onWrite?.(written);
  }

  heartbeat(): void {
    this.heartbeats += 1;
  }

  onDrain(listener: () => void): void {
    this.drainListener = listener;
  }

  onClose(listener: () => void): void {
    this.closeListener = listener;
  }

  close(reason: CloseReason, cursor: number): void {
    this.closed = { reason, cursor };
    this.settle();
  }

  batch(write: () => void): void {
    write();
  }

  /** The client disconnects. */
  goAway(): void {
    this.closeListener?.();
    this.settle();
  }

  /** The client takes everything it was sent. */
  drain(): void {
    this.buffered = 0;
    const listener = this.drainListener;
    this.drainListener = undefined;
    listener?.();
  }
}

const SETTINGS: StreamSettings = {
  bufferBytes: 100,
  slowClientTimeoutMs: 60_000,
  ringSize: 8,
  feedLingerMs: 0,
  finishedIdleMs: 60_000,
  heartbeatMs: 60_000,
  catchupConcurrency: 4,
};

const request = (afterSeq = 0, types: string[] = []): StreamRequest => ({ taskId: 'task_1', afterSeq, types: new Set(types) });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const run = (count: number) => [...range(1, count - 1).map((seq) => item(seq)), item(count, 'STREAM_END')];

describe(StreamHub.name, () => {
  let source: FakeSource;
  let sut: StreamHub;

  beforeEach(() => {
    source = new FakeSource();
  });

  afterEach(() => {
    sut?.beforeApplicationShutdown();
  });

  it('serves every client of a live task from one shared upstream call', async () => {
    sut = new StreamHub(source, SETTINGS);
    const clients = [new FakeSink(), new FakeSink(), new FakeSink()];
    clients.forEach((sink) => sut.open(principal, request(), true, sink));
    source.publish(...run(5));

    await waitFor(() => clients.every((sink) => sink.closed));
    expect(source.calls).toBe(1);
    clients.forEach((sink) => {
      expect(sink.seqs).toEqual([1, 2, 3, 4, 5]);
      expect(sink.closed).toEqual({ reason: 'done', cursor: 5 });
    });
    await waitFor(() => source.active === 0 && sut.stats().feeds === 0, { description: 'the feed to go' });
  });

  it('logs each stream as it closes: task, reason, resume point and duration', async () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    sut = new StreamHub(source, SETTINGS);
    const sink = new FakeSink();
    sut.open(principal, request(), true, sink);
    source.publish(...run(3));

    await waitFor(() => sink.closed);
    expect(log).toHaveBeenCalledWith({ msg: 'stream closed', task_id: 'task_1', reason: 'done', last_event_id: 3, duration_ms: expect.any(Number) });
    log.mockRestore();
  });

  it('knows which tenant follows which task live, until the task ends', async () => {
    sut = new StreamHub(source, SETTINGS);
    const sink = new FakeSink();
    expect(sut.followsLive(principal, 'task_1')).toBe(false);
    sut.open(principal, request(), true, sink);

    expect(sut.followsLive(principal, 'task_1')).toBe(true);
    expect(sut.followsLive({ tenantId: 'other tenant', userId: 'user' }, 'task_1')).toBe(false);
    expect(sut.followsLive(principal, 'task_2')).toBe(false);
    source.publish(...run(3));
    await waitFor(() => sink.closed);
    expect(sut.followsLive(principal, 'task_1')).toBe(false);
  });

  it('catches a client up with its own call when the feed no longer reaches back, then joins the feed', async () => {
    sut = new StreamHub(source, { ...SETTINGS, ringSize: 4 });
    const first = new FakeSink();
    sut.open(principal, request(), true, first);
    source.publish(...range(1, 20).map((seq) => item(seq)));
    await waitFor(() => first.written.length === 20);

    const late = new FakeSink();
    sut.open(principal, request(3), true, late);
    await waitFor(() => late.written.length === 17);
    expect(sut.stats().catchingUp).toBe(0);
    expect(source.active).toBe(1);

    source.publish(item(21), item(22, 'STREAM_END'));
    await waitFor(() => late.closed && first.closed);
    expect(late.seqs).toEqual(range(4, 22));
    expect(first.seqs).toEqual(range(1, 22));
    expect(source.calls).toBe(2);
  });

  it('sends only the requested types, and always the end of the stream and gaps', async () => {
    sut = new StreamHub(source, SETTINGS);
    const sink = new FakeSink();
    sut.open(principal, request(0, ['LLM_OUTPUT']), true, sink);
    source.publish(item(1), { kind: 'gap', workflowId: 'task_1', fromSeq: 2, toSeq: 3, reason: 'gone' }, item(4, 'LLM_OUTPUT'), item(5), item(6, 'STREAM_END'));

    await waitFor(() => sink.closed);
    expect(sink.seqs).toEqual([3, 4, 6]);
    expect(sink.closed).toEqual({ reason: 'done', cursor: 6 });
  });

  it('cuts off a client whose buffer stays full, leaving its resume point and the other clients intact', async () => {
    sut = new StreamHub(source, { ...SETTINGS, slowClientTimeoutMs: 5 });
    const slow = new FakeSink();
    const steady = new FakeSink();
    slow.onWrite = (written) => (slow.buffered = cursorAfter(written) >= 3 ? 1_000 : 0);
    sut.open(principal, request(), true, slow);
    sut.open(principal, request(), true, steady);
    source.publish(...run(6));

    await waitFor(() => slow.closed && steady.closed);
    expect(slow.closed).toEqual({ reason: 'slow', cursor: 3 });
    expect(slow.seqs).toEqual([1, 2, 3]);
    expect(steady.seqs).toEqual(range(1, 6));
  });

  it('resumes writing once a full buffer drains', async () => {
    sut = new StreamHub(source, SETTINGS);
    const sink = new FakeSink();
    sink.onWrite = () => (sink.buffered = 1_000);
    sut.open(principal, request(), true, sink);
    source.publish(...run(3));

    await waitFor(() => sink.written.length === 1);
    sink.drain();
    await waitFor(() => sink.written.length === 2);
    sink.onWrite = undefined;
    sink.drain();
    await waitFor(() => sink.closed);
    expect(sink.seqs).toEqual([1, 2, 3]);
  });

  it('streams a finished task with its own call, filtered upstream, and no feed', async () => {
    sut = new StreamHub(source, SETTINGS);
    source.publish(...run(4));
    const sink = new FakeSink();
    sut.open(principal, request(1, ['LLM_PARTIAL']), false, sink);

    await waitFor(() => sink.closed);
    expect(sink.seqs).toEqual([2, 3, 4]);
    expect(sut.stats().feeds).toBe(0);
  });

  it('closes with `ended` when the resume point is after the end of the task', async () => {
    sut = new StreamHub(source, SETTINGS);
    source.publish(...run(4));
    const sink = new FakeSink();
    sut.open(principal, request(4), false, sink);

    await waitFor(() => sink.closed);
    expect(sink.written).toEqual([]);
    expect(sink.closed).toEqual({ reason: 'ended', cursor: 4 });
  });

  it('closes a finished task that never sends STREAM_END once it has been quiet for a while', async () => {
    sut = new StreamHub(source, { ...SETTINGS, finishedIdleMs: 5 });
    source.publish(item(1), item(2));
    const sink = new FakeSink();
    sut.open(principal, request(), false, sink);

    await waitFor(() => sink.closed);
    expect(sink.seqs).toEqual([1, 2]);
    expect(sink.closed).toEqual({ reason: 'ended', cursor: 2 });
  });

  it('drops the upstream call when the last client of a task goes away', async () => {
    sut = new StreamHub(source, SETTINGS);
    const sink = new FakeSink();
    sut.open(principal, request(), true, sink);
    source.publish(item(1));
    await waitFor(() => sink.written.length === 1);

    sink.goAway();

    await waitFor(() => source.active === 0 && sut.stats().feeds === 0 && sut.stats().connections === 0);
  });

  it('sends heartbeats and closes every stream at shutdown with its resume point', async () => {
    sut = new StreamHub(source, { ...SETTINGS, heartbeatMs: 1 });
    const sink = new FakeSink();
    sut.open(principal, request(), true, sink);
    source.publish(item(1), item(2));
    await waitFor(() => sink.heartbeats > 0 && sink.written.length === 2);

    sut.beforeApplicationShutdown();

    expect(sink.closed).toEqual({ reason: 'shutdown', cursor: 2 });
    await waitFor(() => source.active === 0);
  });

  it('delivers the whole task once and in order to a client that disconnects and resumes at random points', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 2, max: 16 }),
        fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 10 }),
        fc.boolean(),
        async (length, ringSize, disconnectAfter, publishChunks, live) => {
          const events = run(length);
          const upstream = new FakeSource();
          const hub = new StreamHub(upstream, { ...SETTINGS, ringSize });
          try {
            const received: number[] = [];
            let cursor = 0;
            let session = 0;
            let done = false;
            // Publishing goes on while the client comes and goes.
            const publishing = (async () => {
              let next = 0;
              for (let chunk = 0; next < events.length; chunk += 1) {
                const size = publishChunks[chunk % publishChunks.length];
                upstream.publish(...events.slice(next, next + size));
                next += size;
                await new Promise((resolve) => setImmediate(resolve));
              }
            })();
            if (!live) {
              await publishing;
            }
            while (!done) {
              const sink = new FakeSink();
              const leaveAfter = disconnectAfter[session % disconnectAfter.length];
              session += 1;
              let count = 0;
              sink.onWrite = (written) => {
                received.push(cursorAfter(written));
                cursor = cursorAfter(written);
                count += 1;
                if (isStreamEnd(written)) {
                  done = true;
                } else if (count === leaveAfter) {
                  sink.goAway();
                }
              };
              hub.open(principal, request(cursor), live, sink);
              await sink.ended;
            }
            await publishing;
            expect(received).toEqual(range(1, length));
          } finally {
            hub.beforeApplicationShutdown();
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 30_000);
});
