import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { isDevelopmentEnvironment } from '@shannon/config';
import type { GatewayConfig } from '../config';

type CorsOptions = NonNullable<Parameters<NestFastifyApplication['enableCors']>[0]>;

export const CORS_ALLOWED_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
export const CORS_ALLOWED_HEADERS = ['Content-Type', 'Authorization', 'X-API-Key', 'Idempotency-Key', 'traceparent', 'tracestate', 'Last-Event-ID', 'Cache-Control'];
export const CORS_EXPOSED_HEADERS = [
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'Retry-After',
  'X-Workflow-ID',
  'X-Session-ID',
  'X-Trace-ID',
  'X-Idempotency-Cached',
  'Link',
];

/** The origins CORS_ALLOWED_ORIGINS allows: `*`, a list, or none (default `*` in development only). */
export function allowedOrigins(config: Pick<GatewayConfig, 'CORS_ALLOWED_ORIGINS' | 'ENVIRONMENT'>): '*' | string[] {
  const raw = config.CORS_ALLOWED_ORIGINS || (isDevelopmentEnvironment(config.ENVIRONMENT) ? '*' : '');
  const origins = raw
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  return origins.includes('*') ? '*' : origins;
}

/**
 * CORS as API.md says: Allow-Origin `*` or the request's Origin when it is on the list (with
 * Vary: Origin), the methods and headers above, exposed rate-limit, workflow, session and trace
 * headers. Any OPTIONS request is answered 200 before authentication.
 */
export function corsOptions(config: Pick<GatewayConfig, 'CORS_ALLOWED_ORIGINS' | 'ENVIRONMENT'>): CorsOptions {
  return {
    origin: allowedOrigins(config),
    methods: CORS_ALLOWED_METHODS,
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: 3600,
    optionsSuccessStatus: 200,
    strictPreflight: false,
  };
}
