import type { LlmProvider, LlmRequest, LlmStreamEvent } from './llm-provider';
import { LlmAbortedError, LlmProviderError } from './llm.errors';
import { abortableDelay, DelayAbortedError } from './mock/abortable-delay';

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  /** Longest wait between two tries, whatever Retry-After says. */
  maxDelayMs?: number;
}

export interface RetryNotice {
  attempt: number;
  delayMs: number;
  error: LlmProviderError;
}

/**
 * Retries a call that failed with a retryable provider error (429, 5xx, connection) before it
 * produced anything, with exponential back-off (or the provider's Retry-After). Once a token has
 * been handed out the call is not replayed: the error goes up.
 */
export class RetryingLlmProvider implements LlmProvider {
  constructor(
    private readonly inner: LlmProvider,
    private readonly policy: RetryPolicy,
    private readonly onRetry?: (notice: RetryNotice, request: LlmRequest) => void,
  ) {}

  get name(): string {
    return this.inner.name;
  }

  async *stream(request: LlmRequest): AsyncGenerator<LlmStreamEvent> {
    for (let attempt = 1; ; attempt++) {
      let produced = false;
      try {
        for await (const event of this.inner.stream(request)) {
          produced = true;
          yield event;
        }
        return;
      } catch (error) {
        if (produced || !(error instanceof LlmProviderError) || !error.retryable || attempt > this.policy.maxRetries) {
          throw error;
        }
        const backoff = this.policy.baseDelayMs * 2 ** (attempt - 1);
        const delayMs = Math.min(this.policy.maxDelayMs ?? 30_000, error.retryAfterMs ?? backoff);
        this.onRetry?.({ attempt, delayMs, error }, request);
        try {
          await abortableDelay(delayMs, request.signal);
        } catch (delayError) {
          if (delayError instanceof DelayAbortedError) {
            throw new LlmAbortedError({ inputTokens: 0, outputTokens: 0 }, { cause: request.signal?.reason });
          }
          throw delayError;
        }
      }
    }
  }
}
