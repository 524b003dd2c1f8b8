export type {
  ChatMessage,
  ChatRole,
  LlmDeltaEvent,
  LlmDoneEvent,
  LlmFinishReason,
  LlmProvider,
  LlmRequest,
  LlmStreamEvent,
  LlmUsage,
  MockPacing,
  ToolCall,
  ToolSpec,
} from './llm-provider';
export { AnthropicLlmProvider } from './anthropic/anthropic-llm.provider';
export { ModelCatalog } from './model-catalog';
export type { ModelSelection } from './model-catalog';
export { MODELS_CONFIG } from './models.config';
export type { ModelPrice, ModelsConfig, TierChoice } from './models.config';
export { OpenAiLlmProvider } from './openai/openai-llm.provider';
export { RetryingLlmProvider } from './retrying-llm.provider';
export type { RetryNotice, RetryPolicy } from './retrying-llm.provider';
export { LlmAbortedError, LlmProviderError } from './llm.errors';
export type { LlmProviderErrorOptions } from './llm.errors';
export { composeMockAnswer } from './mock/mock-answer';
export {
  MOCK_MODEL_NAME,
  MOCK_PROVIDER_NAME,
  MockLlmProvider,
} from './mock/mock-llm.provider';
export type { MockLlmProviderOptions } from './mock/mock-llm.provider';
export { countTokens, tokenize } from './mock/tokenize';
