import type { TaskEvent } from '@shannon/contracts';

/** Why events are missing from a replay. */
export const GAP_REASON = 'no longer kept: token deltas and prompts live only on the event stream, which no longer holds them';

/** One item of a task's replay: an event, or a named run of events that cannot be delivered. */
export type ReplayItem = { kind: 'event'; event: TaskEvent } | { kind: 'gap'; fromSeq: bigint; toSeq: bigint; reason: string };

/** Where following the bus starts: the first event it still keeps of the task, or a stream sequence. */
export type BusPosition = 'first' | { streamSeq: number };

/** The EVENTS stream as a replay sees it. */
export interface EventBusSource {
  /** Whether the stream still keeps any event of the task, and the stream's last sequence now. */
  retention(tenantId: string, taskId: string): Promise<{ keepsTask: boolean; lastStreamSeq: number }>;
  /** The task's events in stream order from `from`, then live ones, until the signal aborts. */
  follow(tenantId: string, taskId: string, from: BusPosition, signal: AbortSignal): AsyncIterable<TaskEvent>;
}

/** The event log as a replay sees it (events in seq order). */
export interface EventLogSource {
  after(tenantId: string, taskId: string, afterSeq: bigint, limit: number): Promise<TaskEvent[]>;
  between(tenantId: string, taskId: string, fromSeq: bigint, toSeq: bigint): Promise<TaskEvent[]>;
  /** The seq of the task's last logged event, if the log has any. */
  lastSeq(tenantId: string, taskId: string): Promise<bigint | undefined>;
  /** The seq of the task's STREAM_END, if the log has it. */
  streamEndSeq(tenantId: string, taskId: string): Promise<bigint | undefined>;
}

/** The latest events this process has read of every task (RecentTaskEvents), served from memory. */
export interface RecentEventsSource {
  /** The task's events from seq `nextSeq` on, kept then live; undefined when memory does not reach back that far. */
  followFrom(tenantId: string, taskId: string, nextSeq: bigint, signal: AbortSignal): AsyncIterable<TaskEvent> | undefined;
  /** The task's events published after stream sequence `streamSeq`, kept then live; undefined when some may be missing. */
  followAfter(tenantId: string, taskId: string, streamSeq: number, signal: AbortSignal): AsyncIterable<TaskEvent> | undefined;
}
