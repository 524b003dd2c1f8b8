import { LlmAbortedError, LlmProviderError } from './llm.errors';

describe(LlmAbortedError.name, () => {
  it('is an Error named LlmAbortedError that carries the usage so far', () => {
    const sut = new LlmAbortedError({ inputTokens: 7, outputTokens: 3 });

    expect(sut).toBeInstanceOf(Error);
    expect(sut.name).toBe('LlmAbortedError');
    expect(sut.usage).toEqual({ inputTokens: 7, outputTokens: 3 });
    expect(sut.message).toContain('3 output token');
  });
});

describe(LlmProviderError.name, () => {
  it('carries its message, retryability, provider and cause', () => {
    const cause = new Error('socket hang up');

    const sut = new LlmProviderError(
      'The provider is unreachable; try again later.',
      {
        retryable: true,
        provider: 'openai',
        cause,
      },
    );

    expect(sut).toBeInstanceOf(Error);
    expect(sut.name).toBe('LlmProviderError');
    expect(sut.message).toBe('The provider is unreachable; try again later.');
    expect(sut.retryable).toBe(true);
    expect(sut.provider).toBe('openai');
    expect(sut.cause).toBe(cause);
  });
});
