import { Inject, Injectable, Logger } from '@nestjs/common';
import { appendFileSync } from 'node:fs';
import { TASK_CONFIG, type TaskConfig } from '../config';
import { AnthropicLlmProvider, type LlmProvider, MockLlmProvider, ModelCatalog, OpenAiLlmProvider, RetryingLlmProvider, type RetryNotice, type TierChoice } from '../llm';
import type { ModelTier } from '../tasks/task-input';

/** The providers this process has keys for (mock always), as the catalog sees them. */
export function modelCatalogFor(config: TaskConfig): ModelCatalog {
  const configured = new Set(['mock']);
  if (config.OPENAI_API_KEY || config.OPENAI_BASE_URL) {
    configured.add('openai');
  }
  if (config.ANTHROPIC_API_KEY) {
    configured.add('anthropic');
  }
  const extra = (config.OPENAI_MODELS ?? '').split(',').map((model) => model.trim()).filter(Boolean);
  return new ModelCatalog(configured, extra);
}

export interface TaskModelChoice {
  modelTier: string;
  context: unknown;
}

/** Builds each configured provider once and picks the provider and model of a task. */
@Injectable()
export class LlmProviderRegistry {
  private readonly logger = new Logger(LlmProviderRegistry.name);
  readonly mock: MockLlmProvider;
  private readonly providers = new Map<string, LlmProvider>();

  constructor(
    @Inject(TASK_CONFIG) private readonly config: TaskConfig,
    readonly catalog: ModelCatalog,
  ) {
    const log = config.MOCK_CALL_LOG;
    this.mock = new MockLlmProvider({
      defaultTokenDelayMs: config.MOCK_TOKEN_DELAY_MS,
      defaultStartDelayMs: config.MOCK_START_DELAY_MS,
      onCall: log ? (request) => appendFileSync(log, `${JSON.stringify({ pid: process.pid, ...request.metadata })}\n`) : undefined,
    });
    this.providers.set('mock', this.mock);
    if (catalog.isConfigured('openai')) {
      this.providers.set('openai', new OpenAiLlmProvider({ apiKey: config.OPENAI_API_KEY, baseURL: config.OPENAI_BASE_URL, timeoutMs: config.LLM_REQUEST_TIMEOUT_MS }));
    }
    if (config.ANTHROPIC_API_KEY) {
      this.providers.set(
        'anthropic',
        new AnthropicLlmProvider({ apiKey: config.ANTHROPIC_API_KEY, baseURL: config.ANTHROPIC_BASE_URL, timeoutMs: config.LLM_REQUEST_TIMEOUT_MS }),
      );
    }
  }

  /** The task's provider (with retries on 429/5xx) and model; `onRetry` hears of each retry. */
  forTask(task: TaskModelChoice, onRetry?: (notice: RetryNotice) => void): TierChoice & { client: LlmProvider } {
    const context = (task.context ?? {}) as Record<string, unknown>;
    const choice = this.catalog.resolve({
      tier: task.modelTier as ModelTier,
      modelOverride: typeof context['model_override'] === 'string' ? context['model_override'] : undefined,
      providerOverride: typeof context['provider_override'] === 'string' ? context['provider_override'] : undefined,
    });
    const inner = this.providers.get(choice.provider);
    if (!inner) {
      throw new Error(`Provider ${choice.provider} is not configured in this worker`);
    }
    const client = new RetryingLlmProvider(inner, { maxRetries: this.config.LLM_MAX_RETRIES, baseDelayMs: this.config.LLM_RETRY_BASE_MS }, (notice) => {
      this.logger.warn(`${choice.provider} call failed (try ${notice.attempt}), retrying in ${notice.delayMs} ms: ${notice.error.message}`);
      onRetry?.(notice);
    });
    return { ...choice, client };
  }
}
