import { checkInternalAuthSecret, commonEnv, databaseEnv, grpcClientUrl, grpcServerEnv, internalAuthEnv, natsEnv } from '@shannon/config';
import { z } from 'zod';

const THIRTY_DAYS_SECONDS = 30 * 24 * 60 * 60;

export const sessionConfigSchema = z.object({
  ...commonEnv,
  ...internalAuthEnv,
  ...databaseEnv,
  ...natsEnv,
  ...grpcServerEnv(50052),
  /** The task service, asked for a task's outcome when its terminal event arrives. */
  TASK_GRPC_URL: grpcClientUrl('http://127.0.0.1:50053'),
  /** A session expires this long after its last activity (a turn begun or ended). */
  SESSION_TTL_SECONDS: z.coerce.number().int().min(1).max(10 * 365 * 24 * 60 * 60).default(THIRTY_DAYS_SECONDS),
  /** How often the sweeper looks for expired sessions (and abandoned turn reservations). */
  SESSION_SWEEP_INTERVAL_MS: z.coerce.number().int().min(50).max(24 * 60 * 60 * 1000).default(60_000),
  /** Sessions removed per statement: each batch is its own short transaction. */
  SESSION_SWEEP_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(200),
  /** A reserved turn whose task still does not exist after this long is dropped. */
  SESSION_TURN_RESERVATION_MS: z.coerce.number().int().min(1_000).max(24 * 60 * 60 * 1000).default(120_000),
}).superRefine(checkInternalAuthSecret);

export type SessionConfig = z.infer<typeof sessionConfigSchema>;

export const SESSION_CONFIG = Symbol('SESSION_CONFIG');
export const SESSION_SCHEMA = 'session';
