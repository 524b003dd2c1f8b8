import type { LlmDoneEvent, LlmUsage, ToolCall } from './llm-provider';

/** The final event of a provider's stream: tool calls win over a length cut. */
export function doneEvent(provider: string, model: string, text: string, usage: LlmUsage, toolCalls: ToolCall[], truncated: boolean): LlmDoneEvent {
  return {
    type: 'done',
    text,
    usage,
    model,
    provider,
    finishReason: toolCalls.length > 0 ? 'tool_calls' : truncated ? 'length' : 'stop',
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
  };
}
