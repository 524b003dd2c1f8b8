import type { EventItem, GapItem, StreamItem } from './stream-item';

const RENAMED: Partial<Record<string, string>> = {
  LLM_PARTIAL: 'thread.message.delta',
  LLM_OUTPUT: 'thread.message.completed',
  ERROR_OCCURRED: 'error',
  STREAM_END: 'done',
  WORKFLOW_PAUSING: 'workflow.pausing',
  WORKFLOW_PAUSED: 'workflow.paused',
  WORKFLOW_RESUMED: 'workflow.resumed',
  WORKFLOW_CANCELLING: 'workflow.cancelling',
  WORKFLOW_CANCELLED: 'workflow.cancelled',
};

/** The comment that opens every SSE stream. */
export function sseConnected(workflowId: string): string {
  return `: connected to workflow ${workflowId}\n\n`;
}

export const SSE_PING = ': ping\n\n';

/** `done` for a stream that ends without a STREAM_END to send (the task ended before the resume point). */
export const SSE_DONE_WITHOUT_ID = 'event: done\ndata: [DONE]\n\n';

/** An SSE comment (ignored by clients, read by people). */
export function sseComment(text: string): string {
  return `: ${text.replace(/\n/g, ' ')}\n\n`;
}

/** The SSE frame of an item, with the names and shapes of API.md (Shannon's). */
export function sseFrame(item: StreamItem): string {
  item.sse ??= item.kind === 'gap' ? `id: ${item.toSeq}\nevent: gap\ndata: ${JSON.stringify(gapData(item))}\n\n` : eventFrame(item);
  return item.sse;
}

/** The SSE frame as bytes, encoded once for all the connections that send it. */
export function sseFrameBytes(item: StreamItem): Buffer {
  item.sseBytes ??= Buffer.from(sseFrame(item), 'utf8');
  return item.sseBytes;
}

/** The WebSocket text frame of an item: the whole event object, no renaming. */
export function wsFrame(item: StreamItem): string {
  item.ws ??= JSON.stringify(item.kind === 'gap' ? { type: 'gap', ...gapData(item) } : item.event);
  return item.ws;
}

function eventFrame(item: EventItem): string {
  const event = item.event;
  const name = RENAMED[event.type] ?? event.type;
  return `id: ${item.seq}\nevent: ${name}\ndata: ${eventData(item)}\n\n`;
}

function eventData({ event }: EventItem): string {
  const { workflow_id, agent_id, message, payload, seq, stream_id } = event;
  switch (event.type) {
    case 'LLM_PARTIAL':
      return JSON.stringify({ workflow_id, agent_id, delta: message ?? '', seq, stream_id });
    case 'LLM_OUTPUT':
      return JSON.stringify({ workflow_id, agent_id, response: message ?? '', metadata: payload, seq, stream_id });
    case 'STREAM_END':
      return '[DONE]';
    case 'WORKFLOW_PAUSING':
    case 'WORKFLOW_PAUSED':
    case 'WORKFLOW_RESUMED':
    case 'WORKFLOW_CANCELLING':
    case 'WORKFLOW_CANCELLED':
      return JSON.stringify({ workflow_id, agent_id, message, checkpoint: payload?.['checkpoint'], was_paused: payload?.['was_paused'], seq, stream_id });
    default:
      return JSON.stringify(event);
  }
}

function gapData(item: GapItem) {
  return { workflow_id: item.workflowId, from_seq: item.fromSeq, to_seq: item.toSeq, first_available_seq: item.toSeq + 1, message: item.reason };
}
