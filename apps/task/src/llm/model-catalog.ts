import { ValidationError } from '@shannon/errors';
import type { LlmUsage } from './llm-provider';
import { MODELS_CONFIG, type ModelPrice, type ModelsConfig, type TierChoice } from './models.config';

export interface ModelSelection {
  tier: 'small' | 'medium' | 'large';
  modelOverride?: string;
  providerOverride?: string;
}

const FREE: ModelPrice = { inputPerMillion: 0, outputPerMillion: 0 };

/**
 * Tiers, models and prices (models.config.ts) against the providers this process has keys for.
 * Resolving a selection is the same at submit (bad input: 400 naming the field) and in the worker.
 */
export class ModelCatalog {
  private readonly extraModels: Record<string, string[]>;

  constructor(
    private readonly configured: ReadonlySet<string>,
    extraOpenAiModels: string[] = [],
    private readonly config: ModelsConfig = MODELS_CONFIG,
  ) {
    this.extraModels = { openai: extraOpenAiModels };
  }

  get providers(): string[] {
    return Object.keys(this.config.providers);
  }

  isConfigured(provider: string): boolean {
    return this.configured.has(provider);
  }

  /** The provider and model a task runs on; throws ValidationError naming the field at fault. */
  resolve(selection: ModelSelection): TierChoice {
    const provider = selection.providerOverride?.trim().toLowerCase() || undefined;
    const model = selection.modelOverride?.trim() || undefined;
    if (provider !== undefined) {
      if (!this.config.providers[provider]) {
        throw new ValidationError(`Invalid provider_override "${provider}" (known: ${this.providers.join(', ')})`);
      }
      if (!this.isConfigured(provider)) {
        throw new ValidationError(`provider_override "${provider}" is not configured on this server (set its API key, e.g. ${provider.toUpperCase()}_API_KEY)`);
      }
    }
    if (model !== undefined) {
      const owners = this.providers.filter((name) => this.knows(name, model));
      const owner = provider ? owners.find((name) => name === provider) : (owners.find((name) => this.isConfigured(name)) ?? owners[0]);
      if (!owner) {
        throw new ValidationError(
          provider
            ? `Invalid model_override "${model}": provider ${provider} has no such model (known: ${this.modelsOf(provider).join(', ')})`
            : `Invalid model_override "${model}": no provider has this model`,
        );
      }
      if (!this.isConfigured(owner)) {
        throw new ValidationError(`model_override "${model}" needs provider ${owner}, which is not configured on this server`);
      }
      return { provider: owner, model };
    }
    const choices = this.config.tiers[selection.tier].filter((choice) => (provider ? choice.provider === provider : this.isConfigured(choice.provider)));
    const choice = choices[0] ?? (provider ? { provider, model: this.modelsOf(provider)[0] } : undefined);
    if (!choice) {
      throw new ValidationError(`No configured provider serves model_tier ${selection.tier}`);
    }
    return this.withExtraDefault(choice);
  }

  price(provider: string, model: string): ModelPrice {
    return this.config.providers[provider]?.models[model] ?? FREE;
  }

  /** US dollars for the tokens of one call. */
  cost(provider: string, model: string, usage: LlmUsage): number {
    const price = this.price(provider, model);
    return (usage.inputTokens * price.inputPerMillion + usage.outputTokens * price.outputPerMillion) / 1_000_000;
  }

  private knows(provider: string, model: string): boolean {
    return this.modelsOf(provider).includes(model);
  }

  private modelsOf(provider: string): string[] {
    return [...(this.extraModels[provider] ?? []), ...Object.keys(this.config.providers[provider]?.models ?? {})];
  }

  /** With OPENAI_MODELS set (a local server), its first model serves every tier on openai. */
  private withExtraDefault(choice: TierChoice): TierChoice {
    const extra = this.extraModels[choice.provider]?.[0];
    return extra ? { provider: choice.provider, model: extra } : choice;
  }
}
