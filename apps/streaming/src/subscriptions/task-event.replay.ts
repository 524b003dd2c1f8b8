import type { TaskEvent } from '@shannon/contracts';
import { type BusPosition, type EventBusSource, type EventLogSource, GAP_REASON, type RecentEventsSource, type ReplayItem } from './replay-item';

const LOG_PAGE = 500;
const TIMED_OUT = Symbol('timed out');

export interface ReplayOptions {
  tenantId: string;
  taskId: string;
  /** Deliver events with seq > afterSeq. */
  afterSeq: bigint;
  /** Types to deliver; empty: all. Gaps and STREAM_END are always delivered. */
  types: ReadonlySet<string>;
  /** How long an event that arrived ahead of its turn waits for the ones before it. */
  reorderWindowMs: number;
  /** Events held ahead of their turn before the hole behind them is settled at once. */
  maxHeld: number;
}

/**
 * One subscriber's view of a task: every event after `afterSeq` exactly once, in seq order, then
 * live ones until STREAM_END. What this process keeps in memory of the task's latest events is read
 * first when it reaches back to the resume point (no round trip); otherwise the EVENTS stream,
 * because it keeps everything, token deltas included, for as long as its retention allows; what
 * it no longer keeps comes from the event log; what neither keeps is reported as a gap, never
 * skipped silently. An event that arrives ahead of its turn (a publisher's retry, concurrent
 * publishers) waits a bounded time for the ones before it (which is also how a hole at the stream's retention boundary is noticed);
 * repeats (redeliveries, republished seqs) are dropped.
 */
export class TaskEventReplay {
  private next: bigint;
  private ended = false;
  private readonly held = new Map<bigint, TaskEvent>();
  private heldSince = 0;

  constructor(
    private readonly log: EventLogSource,
    private readonly bus: EventBusSource,
    private readonly recent: RecentEventsSource,
    private readonly options: ReplayOptions,
  ) {
    this.next = options.afterSeq + 1n;
  }

  async *items(signal: AbortSignal): AsyncGenerator<ReplayItem> {
    const { tenantId, taskId } = this.options;
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      // A task this process has read from the resume point on: memory, then live, no round trip.
      let events = this.recent.followFrom(tenantId, taskId, this.next, stop.signal);
      if (!events) {
        // What the log holds is looked at before the stream: an event logged by then and still
        // published after the look at the stream would be in the stream.
        const loggedThrough = await this.log.lastSeq(tenantId, taskId);
        const { keepsTask, lastStreamSeq } = await this.bus.retention(tenantId, taskId);
        let from: BusPosition = 'first';
        if (!keepsTask) {
          // The stream keeps nothing of this task: it has not started, or it is older than the
          // stream's retention. What the log held before the look is all there is of it (read
          // up to there only: a young task's events logged since are in the stream, deltas
          // included, and the log would show its deltas as gaps); then follow what came after.
          yield* this.fromLog(loggedThrough);
          from = { streamSeq: lastStreamSeq + 1 };
          events = this.ended ? undefined : this.recent.followAfter(tenantId, taskId, lastStreamSeq, stop.signal);
        }
        if (this.ended || stop.signal.aborted) {
          return;
        }
        events ??= this.bus.follow(tenantId, taskId, from, stop.signal);
      }
      yield* this.fromEvents(events, stop);
    } finally {
      signal.removeEventListener('abort', onAbort);
      stop.abort();
    }
  }

  /** The logged events through seq `through` (none when undefined), with the gaps between them. */
  private async *fromLog(through: bigint | undefined): AsyncGenerator<ReplayItem> {
    const { tenantId, taskId } = this.options;
    if (through === undefined) {
      return;
    }
    for (;;) {
      const page = await this.log.after(tenantId, taskId, this.next - 1n, LOG_PAGE);
      const held = page.filter((event) => event.seq <= through);
      for (const event of held) {
        if (event.seq > this.next) {
          yield this.gap(event.seq - 1n);
        }
        yield* this.emit(event);
        if (this.ended) {
          return;
        }
      }
      if (page.length < LOG_PAGE || held.length < page.length) {
        break;
      }
    }
    // A resume point after the task's end: there is nothing more to send.
    const endSeq = await this.log.streamEndSeq(tenantId, taskId);
    this.ended = endSeq !== undefined && endSeq < this.next;
  }

  /** Offers the source's events until the end; `stop` releases the source (a pending read included). */
  private async *fromEvents(source: AsyncIterable<TaskEvent>, stop: AbortController): AsyncGenerator<ReplayItem> {
    const events = source[Symbol.asyncIterator]();
    let pending: Promise<IteratorResult<TaskEvent>> | undefined;
    try {
      while (!this.ended && !stop.signal.aborted) {
        pending ??= events.next();
        const result = this.held.size === 0 ? await pending : await this.untilReorderDeadline(pending);
        if (result === TIMED_OUT) {
          yield* this.settleHole();
          continue;
        }
        pending = undefined;
        if (result.done) {
          return;
        }
        yield* this.offer(result.value);
      }
    } finally {
      stop.abort();
      await events.return?.();
    }
  }

  private async *offer(event: TaskEvent): AsyncGenerator<ReplayItem> {
    if (event.seq < this.next) {
      // A resume point after the task's end: there is nothing more to send.
      if (event.type === 'STREAM_END' && this.held.size === 0) {
        this.ended = true;
      }
      return;
    }
    if (event.seq > this.next) {
      if (this.held.size === 0) {
        this.heldSince = Date.now();
      }
      if (!this.held.has(event.seq)) {
        this.held.set(event.seq, event);
      }
      if (this.held.size > this.options.maxHeld) {
        yield* this.settleHole();
      }
      return;
    }
    yield* this.emit(event);
    yield* this.releaseHeld();
  }

  /**
   * The events before the earliest held one did not come in time: they aged out of the stream
   * (what the log keeps of them is delivered from it) or were never published: a gap.
   */
  private async *settleHole(): AsyncGenerator<ReplayItem> {
    const firstHeld = [...this.held.keys()].reduce((a, b) => (b < a ? b : a));
    yield* this.fillFromLog(firstHeld - 1n);
    yield* this.releaseHeld();
  }

  private async *releaseHeld(): AsyncGenerator<ReplayItem> {
    for (let event = this.held.get(this.next); event && !this.ended; event = this.held.get(this.next)) {
      this.held.delete(event.seq);
      yield* this.emit(event);
    }
    if (this.ended) {
      this.held.clear();
    }
    this.heldSince = Date.now();
  }

  private async *fillFromLog(toSeq: bigint): AsyncGenerator<ReplayItem> {
    const { tenantId, taskId } = this.options;
    for (const event of await this.log.between(tenantId, taskId, this.next, toSeq)) {
      if (this.ended) {
        return;
      }
      if (event.seq > this.next) {
        yield this.gap(event.seq - 1n);
      }
      yield* this.emit(event);
    }
    if (this.next <= toSeq) {
      yield this.gap(toSeq);
    }
  }

  private *emit(event: TaskEvent): Generator<ReplayItem> {
    this.next = event.seq + 1n;
    if (event.type === 'STREAM_END') {
      this.ended = true;
    }
    if (this.ended || this.options.types.size === 0 || this.options.types.has(event.type)) {
      yield { kind: 'event', event };
    }
  }

  private gap(toSeq: bigint): ReplayItem {
    const item: ReplayItem = { kind: 'gap', fromSeq: this.next, toSeq, reason: GAP_REASON };
    this.next = toSeq + 1n;
    return item;
  }

  private async untilReorderDeadline(pending: Promise<IteratorResult<TaskEvent>>): Promise<IteratorResult<TaskEvent> | typeof TIMED_OUT> {
    const remaining = this.heldSince + this.options.reorderWindowMs - Date.now();
    if (remaining <= 0) {
      return TIMED_OUT;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), remaining);
    });
    try {
      return await Promise.race([pending, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
