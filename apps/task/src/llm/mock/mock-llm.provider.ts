import type {
  LlmDoneEvent,
  LlmProvider,
  LlmRequest,
  LlmStreamEvent,
  LlmUsage,
} from '../llm-provider';
import { LlmAbortedError, LlmProviderError } from '../llm.errors';
import { abortableDelay, DelayAbortedError } from './abortable-delay';
import { mockAgentReply } from './mock-agent-protocol';
import { composeMockAnswer } from './mock-answer';
import { countTokens, tokenize } from './tokenize';

export const MOCK_PROVIDER_NAME = 'mock';
export const MOCK_MODEL_NAME = 'mock-model-v1';

/** With no delay between tokens, hand the event loop back this often. */
const TOKENS_PER_EVENT_LOOP_TURN = 64;

export interface MockLlmProviderOptions {
  /** Delay between tokens when the request sets none (ms, default 5). */
  defaultTokenDelayMs?: number;
  /** Delay before the first token when the request sets none (ms, default 20). */
  defaultStartDelayMs?: number;
  /** Told of every call (the call log of MOCK_CALL_LOG uses it). */
  onCall?: (request: LlmRequest) => void;
}

function assertDelay(value: number, what: string): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(
      `${what} must be a finite number of milliseconds >= 0, got ${value}.`,
    );
  }
}

function invalidRequest(message: string): LlmProviderError {
  return new LlmProviderError(message, {
    retryable: false,
    provider: MOCK_PROVIDER_NAME,
  });
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The built-in deterministic model: answers with `composeMockAnswer`, streamed token by token
 * with configurable pacing, honouring `maxOutputTokens` and abort signals like a real provider.
 */
export class MockLlmProvider implements LlmProvider {
  readonly name = MOCK_PROVIDER_NAME;
  private readonly defaultTokenDelayMs: number;
  private readonly defaultStartDelayMs: number;
  private callCount = 0;
  private readonly onCall?: (request: LlmRequest) => void;

  constructor({
    defaultTokenDelayMs = 5,
    defaultStartDelayMs = 20,
    onCall,
  }: MockLlmProviderOptions = {}) {
    this.onCall = onCall;
    assertDelay(defaultTokenDelayMs, 'defaultTokenDelayMs');
    assertDelay(defaultStartDelayMs, 'defaultStartDelayMs');
    this.defaultTokenDelayMs = defaultTokenDelayMs;
    this.defaultStartDelayMs = defaultStartDelayMs;
  }

  /** How many times `stream` has been called (whether or not the stream was consumed). */
  get calls(): number {
    return this.callCount;
  }

  stream(request: LlmRequest): AsyncIterable<LlmStreamEvent> {
    this.callCount++;
    this.onCall?.(request);
    return this.produce(request);
  }

  private async *produce(request: LlmRequest): AsyncGenerator<LlmStreamEvent> {
    const { messages, maxOutputTokens, signal } = request;
    if (!Array.isArray(messages)) {
      throw invalidRequest('The request must carry a "messages" array.');
    }
    if (
      maxOutputTokens !== undefined &&
      (!Number.isInteger(maxOutputTokens) || maxOutputTokens < 1)
    ) {
      throw invalidRequest(
        `maxOutputTokens must be a positive integer, got ${maxOutputTokens}; omit it for no limit.`,
      );
    }
    const tokenDelayMs = request.mock?.tokenDelayMs ?? this.defaultTokenDelayMs;
    const startDelayMs = request.mock?.startDelayMs ?? this.defaultStartDelayMs;
    for (const [value, what] of [
      [tokenDelayMs, 'mock.tokenDelayMs'],
      [startDelayMs, 'mock.startDelayMs'],
    ] as const) {
      if (!Number.isFinite(value) || value < 0) {
        throw invalidRequest(
          `${what} must be a finite number of milliseconds >= 0, got ${value}.`,
        );
      }
    }

    const usage: LlmUsage = {
      inputTokens: countTokens(
        messages.map((message) => message.content).join('\n'),
      ),
      outputTokens: 0,
    };
    const aborted = (): LlmAbortedError =>
      new LlmAbortedError({ ...usage }, { cause: signal?.reason });
    const wait = async (ms: number): Promise<void> => {
      try {
        await abortableDelay(ms, signal);
      } catch (error) {
        throw error instanceof DelayAbortedError ? aborted() : error;
      }
    };

    if (signal?.aborted) {
      throw aborted();
    }
    const reply = mockAgentReply(messages, request.tools) ?? {
      text: composeMockAnswer(messages),
    };
    const allTokens = tokenize(reply.text);
    const truncated =
      maxOutputTokens !== undefined && allTokens.length > maxOutputTokens;
    const tokens = truncated ? allTokens.slice(0, maxOutputTokens) : allTokens;

    await wait(startDelayMs);
    let text = '';
    for (let i = 0; i < tokens.length; i++) {
      if (i > 0) {
        if (tokenDelayMs > 0) {
          await wait(tokenDelayMs);
        } else if (i % TOKENS_PER_EVENT_LOOP_TURN === 0) {
          await yieldToEventLoop();
        }
      }
      if (signal?.aborted) {
        throw aborted();
      }
      text += tokens[i];
      usage.outputTokens++;
      yield { type: 'delta', text: tokens[i] };
    }
    if (signal?.aborted) {
      throw aborted();
    }

    if (reply.toolCalls) {
      usage.outputTokens += countTokens(JSON.stringify(reply.toolCalls));
    }
    const done: LlmDoneEvent = {
      type: 'done',
      text,
      usage: { ...usage },
      model: request.model ?? MOCK_MODEL_NAME,
      provider: this.name,
      finishReason: reply.toolCalls ? 'tool_calls' : truncated ? 'length' : 'stop',
      ...(reply.toolCalls ? { toolCalls: reply.toolCalls } : {}),
    };
    yield done;
  }
}
