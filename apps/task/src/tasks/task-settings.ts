import type { JsonObject } from '@bufbuild/protobuf';
import { ValidationError } from '@shannon/errors';

/** Run settings of a task, read from its stored context (top-level submit fields are copied there). */
export interface TaskSettings {
  maxIterations: number;
  maxConcurrentAgents: number;
  /** Budget (documented in the README): input + output tokens over the whole task. */
  maxTokens?: number;
  /** Budget: estimated cost in US dollars over the whole task. */
  maxCostUsd?: number;
  timeoutSeconds?: number;
}

export const DEFAULT_MAX_ITERATIONS = 10;
export const DEFAULT_MAX_CONCURRENT_AGENTS = 3;
const MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;

/** Reads and checks the settings; ValidationError names the field (also used at submit). */
export function taskSettings(context: JsonObject): TaskSettings {
  return {
    maxIterations: integer(context, 'max_iterations', 1, 50) ?? DEFAULT_MAX_ITERATIONS,
    maxConcurrentAgents: integer(context, 'max_concurrent_agents', 1, 20) ?? DEFAULT_MAX_CONCURRENT_AGENTS,
    maxTokens: integer(context, 'max_tokens', 1, Number.MAX_SAFE_INTEGER),
    maxCostUsd: positive(context, 'max_cost_usd'),
    timeoutSeconds: integer(context, 'timeout_seconds', 1, MAX_TIMEOUT_SECONDS),
  };
}

function integer(context: JsonObject, key: string, min: number, max: number): number | undefined {
  const value = context[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(max === Number.MAX_SAFE_INTEGER ? `context.${key} must be a positive integer` : `context.${key} must be an integer from ${min} to ${max}`);
  }
  return value;
}

function positive(context: JsonObject, key: string): number | undefined {
  const value = context[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ValidationError(`context.${key} must be a positive number`);
  }
  return value;
}
