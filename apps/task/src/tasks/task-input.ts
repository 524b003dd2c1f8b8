import type { JsonObject } from '@bufbuild/protobuf';
import { CLIENT_ID_REGEX, MAX_QUERY_LENGTH, MODEL_TIERS, type SubmitTaskRequest, TASK_MODES as MODES } from '@shannon/contracts';
import { ValidationError } from '@shannon/errors';
import { maxLength } from 'class-validator';
import type { ModelCatalog } from '../llm';
import { taskSettings } from './task-settings';

const MAX_CONTEXT_BYTES = 256 * 1024;
const MAX_MOCK_DELAY_MS = 60_000;

export type Mode = (typeof MODES)[number];
export type ModelTier = (typeof MODEL_TIERS)[number];

/** A submit request after the task service's own checks (gRPC input is never trusted). */
export interface TaskInput {
  query: string;
  sessionId: string;
  /** The session id as the client sent it (null: none sent). */
  clientSessionId: string | null;
  mode: Mode;
  modelTier: ModelTier;
  context: JsonObject;
  /** context.timeout_seconds; undefined: the worker's default. */
  timeoutSeconds?: number;
}

/** Pace of the built-in mock model for one task: `context.mock` (documented in the README). */
export interface MockPacingInput {
  tokenDelayMs?: number;
  startDelayMs?: number;
}

export function parseTaskInput(request: SubmitTaskRequest, catalog?: ModelCatalog): TaskInput {
  const query = request.query;
  if (!query.trim()) {
    throw new ValidationError('Query is required');
  }
  // Counted as the gateway counts it (class-validator's MaxLength: an emoji is one character), so
  // a query the gateway let through is never refused here after its session turn was reserved.
  if (!maxLength(query, MAX_QUERY_LENGTH)) {
    throw new ValidationError(`Query too long (at most ${MAX_QUERY_LENGTH} characters)`);
  }
  if (!request.sessionId) {
    throw new ValidationError('session_id is required');
  }
  if (request.clientSessionId && !CLIENT_ID_REGEX.test(request.clientSessionId)) {
    throw new ValidationError('Invalid session_id format');
  }
  const mode = (request.mode || 'standard').trim().toLowerCase();
  if (!isOneOf(MODES, mode)) {
    throw new ValidationError(`Invalid mode (allowed: ${MODES.join(', ')})`);
  }
  const modelTier = (request.modelTier || 'small').trim().toLowerCase();
  if (!isOneOf(MODEL_TIERS, modelTier)) {
    throw new ValidationError(`Invalid model_tier (allowed: ${MODEL_TIERS.join(', ')})`);
  }
  if (request.maxIterations !== 0 && (request.maxIterations < 1 || request.maxIterations > 50)) {
    throw new ValidationError('max_iterations out of range (1..50)');
  }
  if (request.maxConcurrentAgents !== 0 && (request.maxConcurrentAgents < 1 || request.maxConcurrentAgents > 20)) {
    throw new ValidationError('max_concurrent_agents out of range (1..20)');
  }
  const context: JsonObject = { ...(request.context ?? {}) };
  if (Buffer.byteLength(JSON.stringify(context)) > MAX_CONTEXT_BYTES) {
    throw new ValidationError(`context too large (at most ${MAX_CONTEXT_BYTES} bytes)`);
  }
  mockPacing(context);
  // Top-level fields win over context keys, as in Shannon.
  setIfPresent(context, 'model_tier', modelTier);
  setIfPresent(context, 'model_override', request.modelOverride);
  setIfPresent(context, 'provider_override', request.providerOverride?.toLowerCase());
  setIfPresent(context, 'max_iterations', request.maxIterations || undefined);
  setIfPresent(context, 'max_concurrent_agents', request.maxConcurrentAgents || undefined);
  // Everything a run would trip over later is refused now, naming the field.
  const { timeoutSeconds } = taskSettings(context);
  catalog?.resolve({
    tier: modelTier,
    modelOverride: typeof context['model_override'] === 'string' ? context['model_override'] : undefined,
    providerOverride: typeof context['provider_override'] === 'string' ? context['provider_override'] : undefined,
  });
  return { query, sessionId: request.sessionId, clientSessionId: request.clientSessionId || null, mode, modelTier, context, timeoutSeconds };
}

/** Reads and checks `context.mock = {token_delay_ms, start_delay_ms}`. */
export function mockPacing(context: JsonObject): MockPacingInput {
  const mock = context['mock'];
  if (mock === undefined || mock === null) {
    return {};
  }
  if (typeof mock !== 'object' || Array.isArray(mock)) {
    throw new ValidationError('context.mock must be an object');
  }
  return {
    tokenDelayMs: delay(mock['token_delay_ms'], 'context.mock.token_delay_ms'),
    startDelayMs: delay(mock['start_delay_ms'], 'context.mock.start_delay_ms'),
  };
}

function delay(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_MOCK_DELAY_MS) {
    throw new ValidationError(`${field} must be a number from 0 to ${MAX_MOCK_DELAY_MS}`);
  }
  return value;
}

function setIfPresent(context: JsonObject, key: string, value: string | number | undefined): void {
  if (value !== undefined && value !== '') {
    context[key] = value;
  }
}

function isOneOf<T extends string>(allowed: readonly T[], value: string): value is T {
  return (allowed as readonly string[]).includes(value);
}
