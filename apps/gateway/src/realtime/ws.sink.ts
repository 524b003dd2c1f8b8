import type { WebSocket } from 'ws';
import { wsFrame } from './stream-frames';
import type { StreamItem } from './stream-item';
import type { CloseReason, StreamSink } from './stream-sink';

const CLOSE_GRACE_MS = 2_000;
/** Heartbeats a peer may leave unanswered (a busy client answers late) before it counts as gone. */
const MISSED_PONGS_ALLOWED = 2;

/** Close codes: 1000 normal (after STREAM_END), 1001 going away, 1011 server error, 1013 try again later (too slow). */
const CLOSE_CODES: Record<CloseReason, number> = { done: 1000, ended: 1000, shutdown: 1001, failed: 1011, slow: 1013 };

/** A WebSocket as a stream sink: one JSON text frame per event. */
export class WsSink implements StreamSink {
  private missedPongs = 0;
  private drainListener?: () => void;

  constructor(
    private readonly socket: WebSocket,
    private readonly drainBelowBytes: number,
  ) {
    socket.on('pong', () => (this.missedPongs = 0));
    // Clients may send anything; it is read and dropped.
    socket.on('message', () => undefined);
    socket.on('error', () => socket.terminate());
  }

  get buffered(): number {
    return this.socket.bufferedAmount;
  }

  write(item: StreamItem): void {
    this.socket.send(wsFrame(item), () => this.checkDrained());
  }

  /** A ping; a peer that has answered none of the last few is gone. */
  heartbeat(): void {
    if (this.missedPongs > MISSED_PONGS_ALLOWED) {
      this.socket.terminate();
      return;
    }
    this.missedPongs += 1;
    this.socket.ping();
  }

  onDrain(listener: () => void): void {
    this.drainListener = listener;
    this.checkDrained();
  }

  onClose(listener: () => void): void {
    this.socket.once('close', listener);
  }

  batch(write: () => void): void {
    write();
  }

  close(reason: CloseReason, cursor: number): void {
    if (this.socket.readyState !== this.socket.OPEN) {
      return;
    }
    this.socket.close(CLOSE_CODES[reason], reason === 'done' || reason === 'ended' ? 'STREAM_END' : `${reason}; resume with last_event_id=${cursor}`);
    const timer = setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS);
    timer.unref();
    this.socket.once('close', () => clearTimeout(timer));
  }

  private checkDrained(): void {
    const listener = this.drainListener;
    if (listener && this.socket.bufferedAmount < this.drainBelowBytes) {
      this.drainListener = undefined;
      setImmediate(listener);
    }
  }
}
