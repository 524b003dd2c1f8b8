import type { ServerResponse } from 'node:http';
import { SSE_DONE_WITHOUT_ID, SSE_PING, sseComment, sseFrameBytes } from './stream-frames';
import type { StreamItem } from './stream-item';
import type { CloseReason, StreamSink } from './stream-sink';

/** How long a closing connection may take to flush before its socket is destroyed. */
const CLOSE_GRACE_MS = 2_000;

/** An SSE response (already sent its headers) as a stream sink. */
export class SseSink implements StreamSink {
  constructor(private readonly response: ServerResponse) {}

  get buffered(): number {
    return this.response.writableLength;
  }

  write(item: StreamItem): void {
    this.response.write(sseFrameBytes(item));
  }

  heartbeat(): void {
    this.response.write(SSE_PING);
  }

  onDrain(listener: () => void): void {
    // The buffer limit is at least the socket's high-water mark, so a full buffer always ends in 'drain'.
    if (this.response.writableNeedDrain) {
      this.response.once('drain', listener);
    } else {
      setImmediate(listener);
    }
  }

  onClose(listener: () => void): void {
    this.response.once('close', listener);
  }

  batch(write: () => void): void {
    this.response.cork();
    try {
      write();
    } finally {
      this.response.uncork();
    }
  }

  close(reason: CloseReason, cursor: number): void {
    if (this.response.writableEnded) {
      return;
    }
    switch (reason) {
      case 'done':
        break;
      case 'ended':
        this.response.write(SSE_DONE_WITHOUT_ID);
        break;
      case 'slow':
        this.response.write(sseComment(`disconnected: the client did not keep up; resume with Last-Event-ID: ${cursor}`));
        break;
      case 'shutdown':
        this.response.write(sseComment(`server shutting down; resume with Last-Event-ID: ${cursor}`));
        break;
      case 'failed':
        this.response.write(sseComment(`the task's events cannot be read right now; resume with Last-Event-ID: ${cursor}`));
        break;
    }
    this.response.end();
    // A client that does not read never lets the response finish: its socket goes after a grace period.
    const timer = setTimeout(() => this.response.destroy(), CLOSE_GRACE_MS);
    timer.unref();
    this.response.once('close', () => clearTimeout(timer));
  }
}
