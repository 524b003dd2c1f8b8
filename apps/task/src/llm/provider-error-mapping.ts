import { cutText } from '@shannon/contracts';
import { LlmProviderError } from './llm.errors';

/** What every SDK's APIError carries. */
export interface HttpErrorLike {
  status?: number;
  message: string;
  headers?: Headers;
}

/** Retry-After (seconds or HTTP date) or retry-after-ms, in milliseconds. */
export function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) {
    return ms;
  }
  const value = headers?.get('retry-after');
  if (!value) {
    return undefined;
  }
  const seconds = Number(value);
  if (Number.isFinite(seconds)) {
    return Math.max(0, seconds * 1000);
  }
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** An HTTP failure of a provider as an error a person can act on; 429 and 5xx are retryable. */
export function providerHttpError(provider: string, where: string, error: HttpErrorLike, model: string): LlmProviderError {
  const status = error.status;
  const detail = cutText(error.message.replace(/\s+/g, ' '), 300);
  const options = { provider, cause: error, retryAfterMs: retryAfterMs(error.headers) };
  if (status === undefined) {
    return new LlmProviderError(`Cannot reach ${provider} at ${where}: ${detail}. Check the base URL and that the server is up.`, { ...options, retryable: true });
  }
  if (status === 401 || status === 403) {
    return new LlmProviderError(`${provider} refused the credentials (${status}): check ${provider.toUpperCase()}_API_KEY.`, { ...options, retryable: false });
  }
  if (status === 404) {
    return new LlmProviderError(`${provider} does not know model "${model}" (404): choose another model_override or fix models.config.ts.`, { ...options, retryable: false });
  }
  if (status === 429) {
    return new LlmProviderError(`${provider} rate-limited the request (429): ${detail}. Retry later or raise the account's limits.`, { ...options, retryable: true });
  }
  if (status >= 500) {
    return new LlmProviderError(`${provider} failed with ${status}: ${detail}. The provider is having trouble; retry later.`, { ...options, retryable: true });
  }
  return new LlmProviderError(`${provider} rejected the request (${status}): ${detail}`, { ...options, retryable: false });
}
