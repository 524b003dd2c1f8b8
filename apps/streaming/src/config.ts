import { checkInternalAuthSecret, commonEnv, databaseEnv, grpcServerEnv, internalAuthEnv, natsEnv } from '@shannon/config';
import { z } from 'zod';

export const streamingConfigSchema = z.object({
  ...commonEnv,
  ...internalAuthEnv,
  ...databaseEnv,
  ...natsEnv,
  ...grpcServerEnv(50054),
  /** Events written to the log per insert, and the longest an event waits for its batch. */
  EVENTLOG_BATCH_SIZE: z.coerce.number().int().min(1).max(5_000).default(200),
  EVENTLOG_BATCH_INTERVAL_MS: z.coerce.number().int().min(1).max(10_000).default(50),
  /**
   * The longest a history read (ListEvents) waits for what it must hold: the task's events the log
   * has not written yet, read from the stream, and a finished task's STREAM_END (ADR 0050).
   */
  EVENTLOG_READ_WAIT_MS: z.coerce.number().int().min(1).max(60_000).default(1_000),
  /**
   * How long Subscribe holds an event that arrived ahead of its turn, waiting for the ones before
   * it, before it reports them as a gap.
   */
  SUBSCRIBE_REORDER_WINDOW_MS: z.coerce.number().int().min(1).max(60_000).default(1_000),
  /**
   * Events of recent tasks kept in memory (about 400 bytes of heap each), so that subscribing to a task this
   * process has seen needs no consumer of its own; 0 turns this off.
   */
  STREAM_RECENT_EVENTS: z.coerce.number().int().min(0).max(10_000_000).default(100_000),
}).superRefine(checkInternalAuthSecret);

export type StreamingConfig = z.infer<typeof streamingConfigSchema>;

export const STREAMING_CONFIG = Symbol('STREAMING_CONFIG');
export const STREAMING_SCHEMA = 'streaming';
