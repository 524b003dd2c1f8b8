import OpenAI, { APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { ChatMessage, LlmProvider, LlmRequest, LlmStreamEvent, LlmUsage, ToolCall, ToolSpec } from '../llm-provider';
import { doneEvent } from '../done-event';
import { LlmAbortedError, LlmProviderError } from '../llm.errors';
import { countTokens } from '../mock/tokenize';
import { providerHttpError } from '../provider-error-mapping';

export interface OpenAiProviderOptions {
  apiKey?: string;
  /** Any OpenAI-compatible server (vLLM, Ollama, llama.cpp, LM Studio, Groq...). */
  baseURL?: string;
  timeoutMs: number;
}

interface PendingToolCall {
  id: string;
  name: string;
  json: string;
}

/** OpenAI's chat completions API (streamed), through the official `openai` package. */
export class OpenAiLlmProvider implements LlmProvider {
  readonly name = 'openai';
  private readonly client: OpenAI;
  private readonly where: string;

  constructor(options: OpenAiProviderOptions) {
    // Retries are ours (RetryingLlmProvider), the same for every provider.
    this.client = new OpenAI({ apiKey: options.apiKey ?? 'not-needed', baseURL: options.baseURL, maxRetries: 0, timeout: options.timeoutMs });
    this.where = options.baseURL ?? 'api.openai.com';
  }

  async *stream(request: LlmRequest): AsyncGenerator<LlmStreamEvent> {
    const model = request.model ?? 'gpt-4o-mini';
    const usage: LlmUsage = { inputTokens: 0, outputTokens: 0 };
    let text = '';
    let deltas = 0;
    let finish: string | null = null;
    const calls: PendingToolCall[] = [];
    try {
      const stream = await this.client.chat.completions.create(
        {
          model,
          messages: request.messages.map(toOpenAiMessage),
          stream: true,
          stream_options: { include_usage: true },
          ...(request.maxOutputTokens ? { max_tokens: request.maxOutputTokens } : {}),
          ...(request.tools?.length ? { tools: request.tools.map(toOpenAiTool) } : {}),
        },
        { signal: request.signal },
      );
      for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
        if (chunk.usage) {
          usage.inputTokens = chunk.usage.prompt_tokens;
          usage.outputTokens = chunk.usage.completion_tokens;
        }
        const choice = chunk.choices[0];
        if (!choice) {
          continue;
        }
        finish = choice.finish_reason ?? finish;
        for (const call of choice.delta.tool_calls ?? []) {
          const pending = (calls[call.index] ??= { id: '', name: '', json: '' });
          pending.id = call.id ?? pending.id;
          pending.name = call.function?.name ?? pending.name;
          pending.json += call.function?.arguments ?? '';
        }
        const content = choice.delta.content;
        if (content) {
          text += content;
          deltas += 1;
          yield { type: 'delta', text: content };
        }
      }
      if (request.signal?.aborted) {
        throw new APIUserAbortError(); // the SDK ends an aborted stream quietly
      }
    } catch (error) {
      if (error instanceof APIUserAbortError || request.signal?.aborted) {
        throw new LlmAbortedError(estimate(request.messages, deltas), { cause: error });
      }
      if (error instanceof APIError) {
        throw providerHttpError(this.name, this.where, error, model);
      }
      throw error;
    }
    if (usage.inputTokens === 0 && usage.outputTokens === 0) {
      Object.assign(usage, estimate(request.messages, deltas)); // servers that send no usage
    }
    const toolCalls = calls.filter(Boolean).map(parseToolCall);
    yield doneEvent(this.name, model, text, usage, toolCalls, finish === 'length');
  }
}

function estimate(messages: ChatMessage[], deltas: number): LlmUsage {
  return { inputTokens: countTokens(messages.map((m) => m.content).join('\n')), outputTokens: deltas };
}

function parseToolCall(call: PendingToolCall): ToolCall {
  try {
    const parsed: unknown = call.json ? JSON.parse(call.json) : {};
    return { id: call.id, name: call.name, arguments: parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {} };
  } catch {
    throw new LlmProviderError(`openai sent invalid JSON arguments for tool ${call.name}`, { retryable: true, provider: 'openai' });
  }
}

function toOpenAiTool(tool: ToolSpec): ChatCompletionTool {
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } };
}

function toOpenAiMessage(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return { role: 'user', content: message.content };
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content || null,
        ...(message.toolCalls?.length
          ? { tool_calls: message.toolCalls.map((call) => ({ id: call.id, type: 'function' as const, function: { name: call.name, arguments: JSON.stringify(call.arguments) } })) }
          : {}),
      };
    case 'tool':
      return { role: 'tool', content: message.content, tool_call_id: message.toolCallId ?? '' };
  }
}
