import type { StreamItem } from './stream-item';

/**
 * Why a stream closes: `done` after STREAM_END was sent; `ended` when the task ended before the
 * resume point (or without a STREAM_END); `slow` when the client stopped reading; `shutdown`
 * when this process stops; `failed` when the task's events cannot be read.
 */
export type CloseReason = 'done' | 'ended' | 'slow' | 'shutdown' | 'failed';

/** One client connection as the stream hub sees it, whatever its transport. */
export interface StreamSink {
  /** Bytes written to the connection that the client has not taken yet (in this process). */
  readonly buffered: number;
  write(item: StreamItem): void;
  heartbeat(): void;
  /** Calls back once, when the buffer has emptied. */
  onDrain(listener: () => void): void;
  /** Calls back once, when the client goes away. */
  onClose(listener: () => void): void;
  /** Closes cleanly; `cursor` is where the client resumes. */
  close(reason: CloseReason, cursor: number): void;
  /** Groups the writes of one batch into as few packets as possible. */
  batch(write: () => void): void;
}
