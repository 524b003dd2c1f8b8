import Anthropic, { APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import type { MessageParam, RawMessageStreamEvent, Tool as AnthropicTool } from '@anthropic-ai/sdk/resources/messages';
import type { ChatMessage, LlmProvider, LlmRequest, LlmStreamEvent, LlmUsage, ToolCall, ToolSpec } from '../llm-provider';
import { doneEvent } from '../done-event';
import { LlmAbortedError } from '../llm.errors';
import { countTokens } from '../mock/tokenize';
import { providerHttpError } from '../provider-error-mapping';

export interface AnthropicProviderOptions {
  apiKey: string;
  baseURL?: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** Anthropic's Messages API (streamed), through the official `@anthropic-ai/sdk`. */
export class AnthropicLlmProvider implements LlmProvider {
  readonly name = 'anthropic';
  private readonly client: Anthropic;
  private readonly where: string;

  constructor(options: AnthropicProviderOptions) {
    this.client = new Anthropic({ apiKey: options.apiKey, baseURL: options.baseURL, maxRetries: 0, timeout: options.timeoutMs, fetch: options.fetch });
    this.where = options.baseURL ?? 'api.anthropic.com';
  }

  async *stream(request: LlmRequest): AsyncGenerator<LlmStreamEvent> {
    const model = request.model ?? 'claude-3-5-haiku-latest';
    const usage: LlmUsage = { inputTokens: 0, outputTokens: 0 };
    const calls: { id: string; name: string; json: string }[] = [];
    let text = '';
    let deltas = 0;
    let stop: string | null = null;
    const system = request.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
    try {
      const stream = await this.client.messages.create(
        {
          model,
          max_tokens: request.maxOutputTokens ?? 4096,
          messages: toAnthropicMessages(request.messages),
          stream: true,
          ...(system ? { system } : {}),
          ...(request.tools?.length ? { tools: request.tools.map(toAnthropicTool) } : {}),
        },
        { signal: request.signal },
      );
      for await (const event of stream as AsyncIterable<RawMessageStreamEvent>) {
        switch (event.type) {
          case 'message_start':
            usage.inputTokens = event.message.usage.input_tokens;
            usage.outputTokens = event.message.usage.output_tokens;
            break;
          case 'content_block_start':
            if (event.content_block.type === 'tool_use') {
              calls[event.index] = { id: event.content_block.id, name: event.content_block.name, json: '' };
            }
            break;
          case 'content_block_delta':
            if (event.delta.type === 'text_delta') {
              text += event.delta.text;
              deltas += 1;
              yield { type: 'delta', text: event.delta.text };
            } else if (event.delta.type === 'input_json_delta' && calls[event.index]) {
              calls[event.index].json += event.delta.partial_json;
            }
            break;
          case 'message_delta':
            usage.outputTokens = event.usage.output_tokens;
            stop = event.delta.stop_reason ?? stop;
            break;
          default:
            break;
        }
      }
      if (request.signal?.aborted) {
        throw new APIUserAbortError(); // the SDK ends an aborted stream quietly
      }
    } catch (error) {
      if (error instanceof APIUserAbortError || request.signal?.aborted) {
        throw new LlmAbortedError({ inputTokens: usage.inputTokens || countTokens(request.messages.map((m) => m.content).join('\n')), outputTokens: deltas }, { cause: error });
      }
      if (error instanceof APIError) {
        throw providerHttpError(this.name, this.where, error, model);
      }
      throw error;
    }
    const toolCalls: ToolCall[] = calls.filter(Boolean).map((call) => ({ id: call.id, name: call.name, arguments: call.json ? (JSON.parse(call.json) as Record<string, unknown>) : {} }));
    yield doneEvent(this.name, model, text, usage, toolCalls, stop === 'max_tokens');
  }
}

function toAnthropicTool(tool: ToolSpec): AnthropicTool {
  return { name: tool.name, description: tool.description, input_schema: tool.parameters as AnthropicTool['input_schema'] };
}

/** System messages go to `system`; tool results become user turns of tool_result blocks. */
export function toAnthropicMessages(messages: ChatMessage[]): MessageParam[] {
  const out: MessageParam[] = [];
  for (const message of messages) {
    if (message.role === 'system') {
      continue;
    }
    if (message.role === 'tool') {
      const block = { type: 'tool_result' as const, tool_use_id: message.toolCallId ?? '', content: message.content };
      const last = out[out.length - 1];
      if (last?.role === 'user' && Array.isArray(last.content) && last.content.every((b) => b.type === 'tool_result')) {
        last.content.push(block);
      } else {
        out.push({ role: 'user', content: [block] });
      }
      continue;
    }
    if (message.role === 'assistant' && message.toolCalls?.length) {
      out.push({
        role: 'assistant',
        content: [
          ...(message.content ? [{ type: 'text' as const, text: message.content }] : []),
          ...message.toolCalls.map((call) => ({ type: 'tool_use' as const, id: call.id, name: call.name, input: call.arguments })),
        ],
      });
      continue;
    }
    out.push({ role: message.role, content: message.content });
  }
  return out;
}
