import type { Principal } from '@shannon/auth';
import { RingBuffer } from './ring-buffer';
import type { FeedMember, StreamContext } from './stream-context';
import { cursorAfter, type StreamItem } from './stream-item';

/** A read position that the ring has pushed out: that reader fell behind. */
export const BEHIND = Symbol('behind');

/**
 * One live task's events in this process: one upstream call, shared by every connection that
 * follows the task, and a ring of the most recent items that connections read at their own pace
 * (each keeps its own position). A connection whose position was pushed out of the ring goes
 * back to a private catch-up call, so a slow reader never holds items for everyone.
 */
export class TaskFeed {
  private readonly ring: RingBuffer<StreamItem>;
  private readonly members = new Set<FeedMember>();
  private readonly abort = new AbortController();
  /** The resume point just before the ring's first item. */
  private baseCursor: number;
  private lastCursor: number;
  private fanoutScheduled = false;
  private lingerTimer?: NodeJS.Timeout;
  /** The upstream call ended: nothing more will come. */
  finished = false;
  /** The upstream call failed for good. */
  failed = false;

  constructor(
    readonly key: string,
    private readonly context: StreamContext,
    principal: Principal,
    readonly taskId: string,
    startCursor: number,
  ) {
    this.ring = new RingBuffer(context.settings.ringSize);
    this.baseCursor = startCursor;
    this.lastCursor = startCursor;
    void this.run(principal);
  }

  get memberCount(): number {
    return this.members.size;
  }

  /** Whether every item after `cursor` is in the ring or still to come. */
  covers(cursor: number): boolean {
    return cursor >= this.baseCursor;
  }

  /** The ring position of the first item after `cursor` (which the feed covers). */
  positionAfter(cursor: number): number {
    return this.ring.findFirst((item) => cursorAfter(item) > cursor);
  }

  /** The item at a ring position; undefined: not there yet; BEHIND: pushed out. */
  read(position: number): StreamItem | typeof BEHIND | undefined {
    return position < this.ring.first ? BEHIND : this.ring.at(position);
  }

  join(member: FeedMember): void {
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    this.members.add(member);
  }

  leave(member: FeedMember): void {
    this.members.delete(member);
    if (this.members.size === 0 && !this.lingerTimer) {
      this.lingerTimer = setTimeout(() => this.context.dropFeed(this), this.finished || this.failed ? 0 : this.context.settings.feedLingerMs);
      this.lingerTimer.unref();
    }
  }

  stop(): void {
    clearTimeout(this.lingerTimer);
    this.abort.abort();
  }

  private async run(principal: Principal): Promise<void> {
    // Items of one network read arrive in one turn of the event loop; let the members take them
    // before the ring turns over (a burst longer than the ring would push them all out).
    const burst = Math.max(1, Math.floor(this.ring.capacity / 2));
    let sinceYield = 0;
    try {
      for await (const item of this.context.source.follow(principal, this.taskId, this.lastCursor, [], this.abort.signal)) {
        this.append(item);
        if (++sinceYield >= burst) {
          sinceYield = 0;
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      this.finished = true;
    } catch {
      this.failed = !this.abort.signal.aborted;
    }
    this.scheduleFanout();
  }

  private append(item: StreamItem): void {
    const evicted = this.ring.push(item);
    if (evicted) {
      this.baseCursor = cursorAfter(evicted);
    }
    this.lastCursor = cursorAfter(item);
    this.scheduleFanout();
  }

  /** One pass over the members per turn of the event loop, however many items arrived. */
  private scheduleFanout(): void {
    if (this.fanoutScheduled) {
      return;
    }
    this.fanoutScheduled = true;
    setImmediate(() => {
      this.fanoutScheduled = false;
      for (const member of [...this.members]) {
        member.pump();
      }
    });
  }
}
