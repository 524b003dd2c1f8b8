/**
 * THE model configuration: which provider/model serves each tier (first configured one wins) and
 * what each model costs, in US dollars per million tokens. Edit this file to add a model.
 */
export interface ModelPrice {
  inputPerMillion: number;
  outputPerMillion: number;
}

export interface TierChoice {
  provider: string;
  model: string;
}

export interface ModelsConfig {
  providers: Record<string, { models: Record<string, ModelPrice> }>;
  tiers: Record<'small' | 'medium' | 'large', TierChoice[]>;
}

export const MODELS_CONFIG: ModelsConfig = {
  providers: {
    openai: {
      models: {
        'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
        'gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6 },
        'gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8 },
        'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10 },
        o3: { inputPerMillion: 2, outputPerMillion: 8 },
      },
    },
    anthropic: {
      models: {
        'claude-3-5-haiku-latest': { inputPerMillion: 0.8, outputPerMillion: 4 },
        'claude-sonnet-4-5': { inputPerMillion: 3, outputPerMillion: 15 },
        'claude-opus-4-1': { inputPerMillion: 15, outputPerMillion: 75 },
      },
    },
    mock: {
      models: {
        'mock-model-v1': { inputPerMillion: 0, outputPerMillion: 0 },
      },
    },
  },
  tiers: {
    small: [
      { provider: 'openai', model: 'gpt-4o-mini' },
      { provider: 'anthropic', model: 'claude-3-5-haiku-latest' },
      { provider: 'mock', model: 'mock-model-v1' },
    ],
    medium: [
      { provider: 'openai', model: 'gpt-4.1-mini' },
      { provider: 'anthropic', model: 'claude-sonnet-4-5' },
      { provider: 'mock', model: 'mock-model-v1' },
    ],
    large: [
      { provider: 'openai', model: 'gpt-4.1' },
      { provider: 'anthropic', model: 'claude-opus-4-1' },
      { provider: 'mock', model: 'mock-model-v1' },
    ],
  },
};
