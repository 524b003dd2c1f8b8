import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { MaxJsonDepth } from './max-json-depth.validator';

export const TASK_MODES = ['simple', 'standard', 'complex', 'supervisor'] as const;
export const MODEL_TIERS = ['small', 'medium', 'large'] as const;
export const CLIENT_ID_REGEX = /^[A-Za-z0-9:_\-.]{1,128}$/;
/** What a task does when its session already has one queued or running (docs/sessions.md). */
export const SESSION_CONCURRENCY_POLICIES = ['enqueue', 'reject', 'interrupt'] as const;
export const MAX_QUERY_LENGTH = 10_000;
/**
 * Levels of objects and arrays `context` may nest, itself the first. The task service's protobuf
 * decoding gives up at 50 (google.protobuf.Struct costs two levels of its recursion limit of 100
 * per level of JSON); 32 leaves room for the messages that carry a task's context further.
 */
export const MAX_CONTEXT_DEPTH = 32;

/** Choices are case-insensitive and trimmed, as in Shannon: validated and used in their lowercase form. */
const lower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

/** Body of POST /api/v1/tasks and POST /api/v1/tasks/stream. */
export class CreateTaskDto {
  @ApiProperty({ description: 'What the agent should do.', maxLength: MAX_QUERY_LENGTH, example: 'What is the capital of France?' })
  @MaxLength(MAX_QUERY_LENGTH, { message: `Query too long (at most ${MAX_QUERY_LENGTH} characters)` })
  @Matches(/\S/, { message: 'Query is required' })
  @IsString({ message: 'query must be a string' })
  @IsDefined({ message: 'Query is required' })
  query!: string;

  @ApiPropertyOptional({ description: 'Session UUID or your own id; omitted: a new session.', pattern: CLIENT_ID_REGEX.source })
  @Matches(CLIENT_ID_REGEX, { message: 'Invalid session_id format' })
  @IsString({ message: 'session_id must be a string' })
  @IsOptional()
  session_id?: string;

  @ApiPropertyOptional({
    enum: SESSION_CONCURRENCY_POLICIES,
    default: 'enqueue',
    description:
      'When the session already has a task queued or running: `enqueue` (this task waits until the earlier ones end), `reject` (409), `interrupt` (the earlier ones are dropped from the conversation and stopped; this one runs at once).',
  })
  @IsIn(SESSION_CONCURRENCY_POLICIES.map(String), { message: `Invalid session_concurrency (allowed: ${SESSION_CONCURRENCY_POLICIES.join(', ')})` })
  @IsString({ message: 'session_concurrency must be a string' })
  @IsOptional()
  @Transform(lower)
  session_concurrency?: string;

  @ApiPropertyOptional({
    description: `Free-form context, nested at most ${MAX_CONTEXT_DEPTH} levels deep (itself the first). \`context.mock = {token_delay_ms, start_delay_ms}\` sets the pace of the built-in mock model.`,
    type: 'object',
    additionalProperties: true,
  })
  @MaxJsonDepth(MAX_CONTEXT_DEPTH)
  @IsObject({ message: 'context must be an object' })
  @IsOptional()
  context?: Record<string, unknown>;

  @ApiPropertyOptional({ enum: TASK_MODES })
  @IsIn(TASK_MODES.map(String), { message: `Invalid mode (allowed: ${TASK_MODES.join(', ')})` })
  @IsString({ message: 'mode must be a string' })
  @IsOptional()
  @Transform(lower)
  mode?: string;

  @ApiPropertyOptional({ enum: MODEL_TIERS })
  @IsIn(MODEL_TIERS.map(String), { message: `Invalid model_tier (allowed: ${MODEL_TIERS.join(', ')})` })
  @IsString({ message: 'model_tier must be a string' })
  @IsOptional()
  @Transform(lower)
  model_tier?: string;

  @ApiPropertyOptional()
  @MaxLength(200, { message: 'model_override too long' })
  @IsString({ message: 'model_override must be a string' })
  @IsOptional()
  model_override?: string;

  @ApiPropertyOptional()
  @MaxLength(50, { message: 'provider_override too long' })
  @IsString({ message: 'provider_override must be a string' })
  @IsOptional()
  provider_override?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 50 })
  @Max(50, { message: 'max_iterations out of range (1..50)' })
  @Min(1, { message: 'max_iterations out of range (1..50)' })
  @IsInt({ message: 'max_iterations must be an integer' })
  @IsOptional()
  max_iterations?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 20 })
  @Max(20, { message: 'max_concurrent_agents out of range (1..20)' })
  @Min(1, { message: 'max_concurrent_agents out of range (1..20)' })
  @IsInt({ message: 'max_concurrent_agents must be an integer' })
  @IsOptional()
  max_concurrent_agents?: number;
}
