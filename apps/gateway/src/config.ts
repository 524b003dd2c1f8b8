import { checkInternalAuthSecret, commonEnv, envFlag, envPort, grpcClientUrl, internalAuthEnv, isDevelopmentEnvironment, redisEnv } from '@shannon/config';
import { z } from 'zod';

const limit = z.coerce.number().int().min(1).max(1_000_000);

/** `{"pro": {"rpm": 300, "burst": 100}, ...}`: rate limits per tenant plan. */
const planLimits = z
  .string()
  .default('{}')
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON like {"pro":{"rpm":300,"burst":100}}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().regex(/^[a-z0-9_-]{1,50}$/), z.object({ rpm: limit, burst: limit }).strict()));

export const gatewayConfigSchema = z
  .object({
    ...commonEnv,
    ...internalAuthEnv,
    ...redisEnv,
    PORT: envPort(8080),
    HOST: z.string().min(1).default('0.0.0.0'),
    AUTH_GRPC_URL: grpcClientUrl('http://127.0.0.1:50051'),
    SESSION_GRPC_URL: grpcClientUrl('http://127.0.0.1:50052'),
    TASK_GRPC_URL: grpcClientUrl('http://127.0.0.1:50053'),
    STREAMING_GRPC_URL: grpcClientUrl('http://127.0.0.1:50054'),
    /** Requests without credentials act as the development user. Development environments only. */
    GATEWAY_SKIP_AUTH: envFlag(false),
    /** How long a successful credential check is reused; a revoked key works at most this long. */
    AUTH_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(30_000),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1_024).max(64 * 1024 * 1024).default(2 * 1024 * 1024),
    /** Per-caller limits, kept in Redis: a bucket of RATE_LIMIT_BURST requests refilled at RATE_LIMIT_RPM per minute. */
    RATE_LIMIT_ENABLED: envFlag(true),
    RATE_LIMIT_RPM: limit.default(60),
    RATE_LIMIT_BURST: limit.default(60),
    RATE_LIMIT_PLANS: planLimits,
    /** Per client IP, for register, login and refresh (which have no caller yet). */
    AUTH_RATE_LIMIT_RPM: limit.default(30),
    /** Origins allowed by CORS: `*`, or a comma-separated list matched against Origin. Default `*` in development, none otherwise. */
    CORS_ALLOWED_ORIGINS: z.string().optional(),
    /** Trust X-Forwarded-For for the client IP (behind a load balancer). */
    TRUST_PROXY: envFlag(false),
    /** SSE `: ping` comments and WebSocket pings (a WebSocket that answers none of three is closed). */
    STREAM_HEARTBEAT_MS: z.coerce.number().int().min(50).max(600_000).default(10_000),
    /** Bytes a stream connection may have waiting for its client; at least the socket's 16 KiB high-water mark. */
    STREAM_CLIENT_BUFFER_BYTES: z.coerce.number().int().min(16_384).max(64 * 1024 * 1024).default(256 * 1024),
    /** A client whose buffer stays full this long is disconnected (it resumes from its last id). */
    STREAM_SLOW_CLIENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
    /** Recent events each live task's shared feed keeps in memory for the connections that follow it. */
    STREAM_FEED_RING_SIZE: z.coerce.number().int().min(16).max(1_000_000).default(1_024),
    /** How long a live task's feed outlives its last connection, for clients that reconnect. */
    STREAM_FEED_LINGER_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
    /** Streams catching up on history with their own call to the streaming service at once (the rest wait). */
    STREAM_CATCHUP_CONCURRENCY: z.coerce.number().int().min(1).max(100_000).default(256),
    /** A finished task's stream that sends nothing for this long closes (a task that ended without STREAM_END). */
    STREAM_FINISHED_IDLE_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  })
  .refine((cfg) => !cfg.GATEWAY_SKIP_AUTH || isDevelopmentEnvironment(cfg.ENVIRONMENT), {
    message: 'GATEWAY_SKIP_AUTH=1 is only allowed when ENVIRONMENT is dev, development or test; refusing to start without authentication',
    path: ['GATEWAY_SKIP_AUTH'],
  })
  .superRefine(checkInternalAuthSecret);

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
