import type { TaskEventResponse } from '@shannon/contracts';

/** One event of a task as the gateway streams it (shaped once, framed once per transport). */
export interface EventItem {
  kind: 'event';
  seq: number;
  event: TaskEventResponse;
  /** Frames, built on first use and shared by every connection that sends this item. */
  sse?: string;
  /** The SSE frame encoded once: every connection writes the same bytes (no copy per socket). */
  sseBytes?: Buffer;
  ws?: string;
}

/** Events fromSeq..toSeq are no longer kept anywhere: said out loud, never skipped silently. */
export interface GapItem {
  kind: 'gap';
  workflowId: string;
  fromSeq: number;
  toSeq: number;
  reason: string;
  sse?: string;
  sseBytes?: Buffer;
  ws?: string;
}

export type StreamItem = EventItem | GapItem;

/** The resume point after an item: a client that has it resumes with this value. */
export function cursorAfter(item: StreamItem): number {
  return item.kind === 'event' ? item.seq : item.toSeq;
}

export function isStreamEnd(item: StreamItem): boolean {
  return item.kind === 'event' && item.event.type === 'STREAM_END';
}
