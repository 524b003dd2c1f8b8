import type { LlmUsage } from './llm-provider';

/** Thrown by a provider's stream when the request's `signal` aborts. */
export class LlmAbortedError extends Error {
  override readonly name = 'LlmAbortedError';

  constructor(
    /** Tokens consumed so far: output counts only the tokens already delivered. */
    readonly usage: LlmUsage,
    options?: { cause?: unknown },
  ) {
    super(
      `The language model request was aborted after ${usage.outputTokens} output token(s).`,
      options,
    );
  }
}

export interface LlmProviderErrorOptions {
  /** Whether trying the same request again later may succeed. */
  retryable: boolean;
  /** Name of the provider that failed, when known. */
  provider?: string;
  /** How long the provider asked us to wait (Retry-After), when it said. */
  retryAfterMs?: number;
  cause?: unknown;
}

/** A provider failure with a message a person can act on. */
export class LlmProviderError extends Error {
  override readonly name = 'LlmProviderError';
  readonly retryable: boolean;
  readonly provider?: string;
  readonly retryAfterMs?: number;

  constructor(message: string, options: LlmProviderErrorOptions) {
    super(
      message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.retryable = options.retryable;
    this.provider = options.provider;
    this.retryAfterMs = options.retryAfterMs;
  }
}
