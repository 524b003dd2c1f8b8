import type { Principal } from '@shannon/auth';
import type { Semaphore } from './semaphore';
import type { StreamConnection } from './stream-connection';
import type { CloseReason } from './stream-sink';
import type { TaskEventSource } from './task-event.upstream';
import type { TaskFeed } from './task-feed';

export interface StreamSettings {
  /** Bytes a connection may have waiting for its client before the hub stops writing to it. */
  bufferBytes: number;
  /** How long a connection's buffer may stay full before the client is cut off as too slow. */
  slowClientTimeoutMs: number;
  /** Recent items each live task's shared feed keeps for its connections. */
  ringSize: number;
  /** How long a feed without connections stays, for clients that reconnect. */
  feedLingerMs: number;
  /** How long a stream of a finished task waits for more before it closes. */
  finishedIdleMs: number;
  heartbeatMs: number;
  /** Private catch-up calls (connections behind their task's feed) at once. */
  catchupConcurrency: number;
}

/** A live task's shared feed, as its connections see it. */
export interface FeedMember {
  /** New items (or the feed's end) may be there: write what the connection can take. */
  pump(): void;
}

/** What connections and feeds need from the hub that owns them. */
export interface StreamContext {
  readonly settings: StreamSettings;
  readonly source: TaskEventSource;
  readonly catchups: Semaphore;
  /** The live task's shared feed in this process (created, starting after `startCursor`, if missing). */
  feedFor(principal: Principal, taskId: string, startCursor: number): TaskFeed;
  /** A feed without members for its linger time: drop it. */
  dropFeed(feed: TaskFeed): void;
  /** A connection closed (by us with a reason, or by its client). */
  connectionClosed(connection: StreamConnection, reason: CloseReason | 'client'): void;
}
