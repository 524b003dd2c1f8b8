/**
 * The contract between the task service and a language model.
 *
 * A provider turns a chat history into a stream of text deltas followed by exactly one
 * `done` event. Real providers (OpenAI, Anthropic, ...) and the built-in deterministic
 * `mock` provider all implement it, so the rest of the service never knows which one runs.
 */

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

/** A model's request to run one tool; `arguments` is the parsed JSON object it sent. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

export interface ChatMessage {
  role: ChatRole;
  content: string;
  /** On an assistant message: the tools it asked for. */
  toolCalls?: ToolCall[];
  /** On a tool message: the call it answers. */
  toolCallId?: string;
  /** On a tool message: the tool's name. */
  name?: string;
}

/** A tool offered to the model: name, what it does, and a JSON Schema of its arguments. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** Pacing knobs honoured only by the mock provider (real providers ignore them). */
export interface MockPacing {
  /** Delay between two consecutive tokens, in milliseconds. */
  tokenDelayMs?: number;
  /** Delay before the first token, in milliseconds. */
  startDelayMs?: number;
}

export interface LlmRequest {
  /** History plus the current user query, which comes last. */
  messages: ChatMessage[];
  /** Provider-specific model name; the mock ignores it except to report it back. */
  model?: string;
  /** Optional hard cap on produced tokens (finishReason becomes 'length' when hit). */
  maxOutputTokens?: number;
  /** Aborting stops production promptly; the stream then throws `LlmAbortedError`. */
  signal?: AbortSignal;
  /** Only the mock provider reads this. */
  mock?: MockPacing;
  /** Tools the model may ask for; its answer then may carry `toolCalls` instead of text. */
  tools?: ToolSpec[];
  /** Who is asking (for logs and the mock's call log); never sent to a provider. */
  metadata?: { taskId: string; step: string };
}

export interface LlmUsage {
  inputTokens: number;
  outputTokens: number;
}

export type LlmFinishReason = 'stop' | 'length' | 'tool_calls';

export interface LlmDeltaEvent {
  type: 'delta';
  text: string;
}

export interface LlmDoneEvent {
  type: 'done';
  /** The full produced text: the concatenation of every delta. */
  text: string;
  usage: LlmUsage;
  model: string;
  provider: string;
  finishReason: LlmFinishReason;
  /** Tools the model asked for (finishReason 'tool_calls'). */
  toolCalls?: ToolCall[];
}

export type LlmStreamEvent = LlmDeltaEvent | LlmDoneEvent;

export interface LlmProvider {
  readonly name: string;
  stream(request: LlmRequest): AsyncIterable<LlmStreamEvent>;
}
