import type { Principal } from '@shannon/auth';
import type { FeedMember, StreamContext } from './stream-context';
import { cursorAfter, isStreamEnd, type StreamItem } from './stream-item';
import type { StreamRequest } from './stream-request';
import type { CloseReason, StreamSink } from './stream-sink';
import { BEHIND, type TaskFeed } from './task-feed';

/**
 * One client following one task. It starts from its resume point with a private catch-up call
 * when the task's shared feed does not reach back that far (or the task has finished), then
 * reads the shared feed at its own pace. Its only buffer is its sink's, kept under the limit: a
 * client that keeps it full for too long is cut off, and resumes from its last id.
 */
export class StreamConnection implements FeedMember {
  /** The client has everything up to this resume point. */
  cursor: number;
  /** When the client connected (ms since the epoch). */
  readonly openedAt = Date.now();
  private closed = false;
  /** The live task's feed this connection belongs to (reading it, or catching up to it). */
  private joined?: TaskFeed;
  /** Set while reading the feed: the ring position of the next item. */
  private reading?: { feed: TaskFeed; position: number };
  private catchup?: AbortController;
  private stallTimer?: NodeJS.Timeout;
  private idleTimer?: NodeJS.Timeout;
  /** Set while waiting for the client to take what it has: resumes the writer. */
  private resume?: () => void;

  constructor(
    private readonly context: StreamContext,
    readonly principal: Principal,
    readonly request: StreamRequest,
    /** Whether the task was still running (a feed is worth sharing) when the client connected. */
    readonly live: boolean,
    private readonly sink: StreamSink,
  ) {
    this.cursor = request.afterSeq;
    sink.onClose(() => this.finish('client'));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get isCatchingUp(): boolean {
    return this.catchup !== undefined;
  }

  get buffered(): number {
    return this.closed ? 0 : this.sink.buffered;
  }

  start(): void {
    if (!this.live) {
      this.startCatchup();
      return;
    }
    const feed = this.context.feedFor(this.principal, this.request.taskId, this.cursor);
    this.joined = feed;
    feed.join(this);
    if (feed.covers(this.cursor)) {
      this.read(feed);
    } else {
      this.startCatchup();
    }
  }

  heartbeat(): void {
    if (!this.closed && this.sink.buffered < this.context.settings.bufferBytes) {
      this.sink.heartbeat();
    }
  }

  /** Writes what the feed has for this connection, as far as its buffer allows. */
  pump(): void {
    const reading = this.reading;
    if (this.closed || !reading || this.resume) {
      return;
    }
    this.sink.batch(() => {
      while (!this.closed && this.reading === reading) {
        if (this.sink.buffered >= this.context.settings.bufferBytes) {
          this.waitForClient(() => this.pump());
          return;
        }
        const item = reading.feed.read(reading.position);
        if (item === BEHIND) {
          this.reading = undefined;
          this.startCatchup();
          return;
        }
        if (item === undefined) {
          if (reading.feed.failed) {
            this.close('failed');
          } else if (reading.feed.finished) {
            this.close('ended');
          }
          return;
        }
        reading.position += 1;
        this.deliver(item);
      }
    });
  }

  close(reason: CloseReason): void {
    if (this.finish(reason)) {
      this.sink.close(reason, this.cursor);
    }
  }

  private read(feed: TaskFeed): void {
    this.reading = { feed, position: feed.positionAfter(this.cursor) };
    this.pump();
  }

  private deliver(item: StreamItem): void {
    if (cursorAfter(item) <= this.cursor) {
      return;
    }
    this.cursor = cursorAfter(item);
    if (this.wants(item)) {
      this.sink.write(item);
    }
    if (isStreamEnd(item)) {
      this.close('done');
    }
  }

  /** Gaps and the end of the stream always; events of the requested types (all when none). */
  private wants(item: StreamItem): boolean {
    const types = this.request.types;
    return item.kind === 'gap' || types.size === 0 || types.has(item.event.type) || isStreamEnd(item);
  }

  private startCatchup(): void {
    const abort = new AbortController();
    this.catchup = abort;
    void this.runCatchup(abort);
  }

  /** Reads the task from the connection's cursor with its own call, until it reaches the shared feed. */
  private async runCatchup(abort: AbortController): Promise<void> {
    const { source, catchups } = this.context;
    let release: (() => void) | undefined;
    try {
      release = await catchups.acquire(abort.signal);
      this.armIdleTimer();
      // A finished task has no feed to join, so its filter can apply upstream.
      const types = this.joined ? [] : [...this.request.types];
      for await (const item of source.follow(this.principal, this.request.taskId, this.cursor, types, abort.signal)) {
        if (this.sink.buffered >= this.context.settings.bufferBytes) {
          await new Promise<void>((resolve) => this.waitForClient(resolve));
        }
        if (this.closed || abort.signal.aborted) {
          return;
        }
        this.deliver(item);
        this.armIdleTimer();
        const feed = this.joined;
        if (!this.closed && feed?.covers(this.cursor)) {
          this.catchup = undefined;
          abort.abort();
          this.read(feed);
          return;
        }
      }
      if (!abort.signal.aborted) {
        // The task ended before this client's resume point.
        this.close('ended');
      }
    } catch {
      if (!abort.signal.aborted) {
        this.close('failed');
      }
    } finally {
      release?.();
      if (this.catchup === abort) {
        this.catchup = undefined;
      }
      clearTimeout(this.idleTimer);
    }
  }

  /** Waits until the client took what it has; cuts it off if that takes too long. */
  private waitForClient(then: () => void): void {
    // Waiting for the client is not the task being quiet.
    clearTimeout(this.idleTimer);
    this.resume = then;
    this.stallTimer = setTimeout(() => this.close('slow'), this.context.settings.slowClientTimeoutMs);
    this.sink.onDrain(() => {
      clearTimeout(this.stallTimer);
      const resume = this.resume;
      this.resume = undefined;
      resume?.();
    });
  }

  /** A finished task whose stream has been quiet for a while has nothing more to send. */
  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    if (this.live || this.closed) {
      return;
    }
    this.idleTimer = setTimeout(() => this.close('ended'), this.context.settings.finishedIdleMs);
  }

  /** Releases everything; returns false if the connection was already finished. */
  private finish(reason: CloseReason | 'client'): boolean {
    if (this.closed) {
      return false;
    }
    this.closed = true;
    clearTimeout(this.stallTimer);
    clearTimeout(this.idleTimer);
    this.catchup?.abort();
    this.catchup = undefined;
    this.reading = undefined;
    this.joined?.leave(this);
    const resume = this.resume;
    this.resume = undefined;
    resume?.();
    this.context.connectionClosed(this, reason);
    return true;
  }
}
