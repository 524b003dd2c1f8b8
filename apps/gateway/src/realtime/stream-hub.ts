import { type BeforeApplicationShutdown, Logger } from '@nestjs/common';
import type { Principal } from '@shannon/auth';
import { Semaphore } from './semaphore';
import type { StreamContext, StreamSettings } from './stream-context';
import { StreamConnection } from './stream-connection';
import type { StreamRequest } from './stream-request';
import type { CloseReason, StreamSink } from './stream-sink';
import { StreamMetrics } from './stream.metrics';
import type { TaskEventSource } from './task-event.upstream';
import { TaskFeed } from './task-feed';

/** Feeds are per tenant: one tenant's clients never read a feed opened for another's. */
const feedKey = (principal: Principal, taskId: string) => `${principal.tenantId}/${taskId}`;

/**
 * Every stream of this gateway process: one shared feed per live task followed here, and the
 * connections reading it. Heartbeats go out from one timer for all connections. Built by
 * `streamHubProvider` from the configuration.
 */
export class StreamHub implements StreamContext, BeforeApplicationShutdown {
  readonly catchups: Semaphore;
  private readonly logger = new Logger(StreamHub.name);
  private readonly feeds = new Map<string, TaskFeed>();
  private readonly connections = new Set<StreamConnection>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly unregisterMetrics: () => void;

  constructor(
    readonly source: TaskEventSource,
    readonly settings: StreamSettings,
  ) {
    this.catchups = new Semaphore(settings.catchupConcurrency);
    this.heartbeat = setInterval(() => this.connections.forEach((connection) => connection.heartbeat()), settings.heartbeatMs);
    this.heartbeat.unref();
    this.unregisterMetrics = StreamMetrics.register(() => this.stats());
  }

  /** Starts streaming a task to a client whose request was checked (and the task found) already. */
  open(principal: Principal, request: StreamRequest, live: boolean, sink: StreamSink): StreamConnection {
    const connection = new StreamConnection(this, principal, request, live, sink);
    this.connections.add(connection);
    connection.start();
    return connection;
  }

  /**
   * Whether this process follows the caller's tenant's task live: a feed exists only for a task
   * that was found for that tenant, so another client of it needs no lookup of its own.
   */
  followsLive(principal: Principal, taskId: string): boolean {
    const feed = this.feeds.get(feedKey(principal, taskId));
    return feed !== undefined && !feed.finished && !feed.failed;
  }

  feedFor(principal: Principal, taskId: string, startCursor: number): TaskFeed {
    const key = feedKey(principal, taskId);
    let feed = this.feeds.get(key);
    if (!feed || feed.failed) {
      feed?.stop();
      feed = new TaskFeed(key, this, principal, taskId, startCursor);
      this.feeds.set(key, feed);
    }
    return feed;
  }

  dropFeed(feed: TaskFeed): void {
    if (feed.memberCount === 0 && this.feeds.get(feed.key) === feed) {
      this.feeds.delete(feed.key);
      feed.stop();
    }
  }

  connectionClosed(connection: StreamConnection, reason: CloseReason | 'client'): void {
    this.connections.delete(connection);
    StreamMetrics.recordClose(reason);
    // Streams have no request log line (a request logger per open stream costs memory): this is theirs.
    this.logger.log({
      msg: 'stream closed',
      task_id: connection.request.taskId,
      reason,
      last_event_id: connection.cursor,
      duration_ms: Date.now() - connection.openedAt,
    });
  }

  stats() {
    let catchingUp = 0;
    let bufferedBytes = 0;
    for (const connection of this.connections) {
      catchingUp += connection.isCatchingUp ? 1 : 0;
      bufferedBytes += connection.buffered;
    }
    return { connections: this.connections.size, catchingUp, feeds: this.feeds.size, bufferedBytes };
  }

  /** Closes every stream (clients resume elsewhere with their last id) so the server can stop. */
  beforeApplicationShutdown(): void {
    clearInterval(this.heartbeat);
    [...this.connections].forEach((connection) => connection.close('shutdown'));
    this.feeds.forEach((feed) => feed.stop());
    this.feeds.clear();
    this.unregisterMetrics();
  }
}
