import { checkInternalAuthSecret, commonEnv, databaseEnv, grpcClientUrl, grpcServerEnv, internalAuthEnv, isDevelopmentEnvironment, natsEnv } from '@shannon/config';
import { z } from 'zod';

export const taskConfigSchema = z.object({
  ...commonEnv,
  ...internalAuthEnv,
  ...databaseEnv,
  ...natsEnv,
  ...grpcServerEnv(50053),
  /** api: serves gRPC and relays the outbox; worker: runs tasks from the work queue. Same image. */
  TASK_ROLE: z.enum(['api', 'worker']).default('api'),
  /** Tasks one worker process runs at once. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
  /**
   * The nice value (0 to 19) a worker process lowers its CPU priority to: on a machine it shares
   * with the API services, accepting submits and streaming go first and tasks run on the CPU left
   * over (ADR 0014). 0 leaves the priority as started.
   */
  WORKER_NICENESS: z.coerce.number().int().min(0).max(19).default(10),
  /**
   * outbox: a submit commits the task row with its outbox message and the relay puts it on the work
   * queue. row-only: the row alone, so the task never runs; only for measuring what durable
   * dispatch costs (benchmark W5), refused outside dev and test.
   */
  TASK_DISPATCH: z.enum(['outbox', 'row-only']).default('outbox'),
  /** How often the relay looks for outbox rows a crash left unpublished. */
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  /** Default pace of the built-in mock model (a task may override it in context.mock). */
  MOCK_TOKEN_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(5),
  MOCK_START_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(20),
  /** Optional file the mock model appends one JSON line to per call (tests count calls across processes). */
  MOCK_CALL_LOG: z.string().optional(),

  /** Durable execution (ADR 0010). The server redelivers a task not acked or heartbeated within this. */
  TASK_ACK_WAIT_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  /** Deliveries a task gets before it ends FAILED with a dead-letter record. */
  TASK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  /** Back-off after a failed delivery: base * 2^(n-1), capped at 5 minutes. */
  TASK_RETRY_BACKOFF_MS: z.coerce.number().int().min(0).max(300_000).default(1_000),
  /** Default per-task timeout (context.timeout_seconds overrides it): TIMEOUT after it. */
  TASK_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(7 * 24 * 3600).default(1_800),
  /** Name of this worker in leases and logs (default host:pid:random). */
  WORKER_ID: z.string().min(1).optional(),

  /** Language models (ADR 0012). A provider is configured when its key (or, for openai, a base URL) is set. */
  OPENAI_API_KEY: z.string().min(1).optional(),
  /** Any OpenAI-compatible server: vLLM, Ollama (http://127.0.0.1:11434/v1), llama.cpp, LM Studio, Groq... */
  OPENAI_BASE_URL: z.url().optional(),
  /** Extra model names the openai provider accepts (comma-separated, priced 0 unless in the catalog); the first one serves every tier. */
  OPENAI_MODELS: z.string().optional(),
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_BASE_URL: z.url().optional(),
  /** Retries of a model call on 429/5xx/connection errors, with exponential back-off from LLM_RETRY_BASE_MS. */
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  LLM_RETRY_BASE_MS: z.coerce.number().int().min(0).max(60_000).default(500),
  LLM_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(300_000),
  /**
   * The most text one LLM_PARTIAL event carries: deltas that come while the previous one awaits
   * the bus gather into one event (ADR 0051). 1 sends every delta as its own event. Kept small:
   * the streaming service's and the gateway's memories of recent events are bounded in events.
   */
  LLM_DELTA_MAX_CHARS: z.coerce.number().int().min(1).max(4_000).default(256),
  /** The session service, asked (by workers) for the earlier turns of a task's session. */
  SESSION_GRPC_URL: grpcClientUrl('http://127.0.0.1:50052'),
  /** Context window: at most this many earlier turns (0: none) ... */
  SESSION_HISTORY_MAX_TURNS: z.coerce.number().int().min(0).max(100).default(20),
  /** ... and at most this many tokens of them (the newest turns are kept). */
  SESSION_HISTORY_MAX_TOKENS: z.coerce.number().int().min(0).max(1_000_000).default(8_000),
  /** The longest a task waits for the earlier turns of its session to end before it runs anyway. */
  SESSION_TURN_WAIT_MS: z.coerce.number().int().min(0).max(24 * 60 * 60 * 1000).default(10 * 60 * 1000),
}).refine((cfg) => cfg.TASK_DISPATCH === 'outbox' || isDevelopmentEnvironment(cfg.ENVIRONMENT), {
  message: 'TASK_DISPATCH=row-only stores tasks that never run; it is only allowed when ENVIRONMENT is dev, development or test',
  path: ['TASK_DISPATCH'],
}).superRefine(checkInternalAuthSecret);

export type TaskConfig = z.infer<typeof taskConfigSchema>;

export const TASK_CONFIG = Symbol('TASK_CONFIG');
export const TASK_SCHEMA = 'task';
