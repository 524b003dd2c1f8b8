import { ModelCatalog } from './model-catalog';

describe(ModelCatalog.name, () => {
  it('serves a tier with the first configured provider, falling back to the mock', () => {
    expect(new ModelCatalog(new Set(['mock'])).resolve({ tier: 'small' })).toEqual({ provider: 'mock', model: 'mock-model-v1' });
    expect(new ModelCatalog(new Set(['mock', 'anthropic'])).resolve({ tier: 'large' })).toEqual({ provider: 'anthropic', model: 'claude-opus-4-1' });
    expect(new ModelCatalog(new Set(['mock', 'openai', 'anthropic'])).resolve({ tier: 'medium' })).toEqual({ provider: 'openai', model: 'gpt-4.1-mini' });
  });

  it('honours overrides and names the field at fault', () => {
    const sut = new ModelCatalog(new Set(['mock', 'openai']), ['llama3.1']);
    expect(sut.resolve({ tier: 'small', providerOverride: 'MOCK' })).toEqual({ provider: 'mock', model: 'mock-model-v1' });
    expect(sut.resolve({ tier: 'small', modelOverride: 'gpt-4o' })).toEqual({ provider: 'openai', model: 'gpt-4o' });
    expect(sut.resolve({ tier: 'large' })).toEqual({ provider: 'openai', model: 'llama3.1' });
    expect(() => sut.resolve({ tier: 'small', providerOverride: 'acme' })).toThrow(/^Invalid provider_override "acme"/);
    expect(() => sut.resolve({ tier: 'small', providerOverride: 'anthropic' })).toThrow(/provider_override "anthropic" is not configured/);
    expect(() => sut.resolve({ tier: 'small', modelOverride: 'nope' })).toThrow(/Invalid model_override "nope"/);
    expect(() => sut.resolve({ tier: 'small', providerOverride: 'mock', modelOverride: 'gpt-4o' })).toThrow(/provider mock has no such model/);
    expect(() => sut.resolve({ tier: 'small', modelOverride: 'claude-sonnet-4-5' })).toThrow(/needs provider anthropic/);
  });

  it('prices tokens per million; unknown models are free', () => {
    const sut = new ModelCatalog(new Set(['mock']));
    expect(sut.cost('openai', 'gpt-4o-mini', { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBeCloseTo(0.75);
    expect(sut.cost('openai', 'llama3.1', { inputTokens: 5000, outputTokens: 5000 })).toBe(0);
  });
});
