import type { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { currentTrace } from './trace-context';

export interface LoggingOptions {
  service: string;
  level: string;
  format: 'json' | 'pretty';
  /** Routes without a request logger of their own (long-lived streams log their own lines). */
  unloggedRoutes?: string[];
}

/** Paths that never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.api_key',
  '*.apiKey',
  '*.token',
  '*.access_token',
  '*.refresh_token',
];

const SECRET_QUERY_PARAMS = ['api_key', 'token'];

/** Removes credentials that streaming clients may put in the query string. */
export function redactUrl(url: string | undefined): string | undefined {
  if (!url || !url.includes('?')) {
    return url;
  }
  const [path, query] = url.split('?', 2);
  const params = new URLSearchParams(query);
  for (const key of SECRET_QUERY_PARAMS) {
    if (params.has(key)) {
      params.set(key, '[redacted]');
    }
  }
  return `${path}?${params.toString()}`;
}

/** nestjs-pino preset: JSON lines, secrets redacted, health probes not logged. */
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    return LoggerModule.forRoot({
      exclude: options.unloggedRoutes,
      pinoHttp: {
        name: options.service,
        level: options.level,
        transport: options.format === 'pretty' ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
        // Every line written inside a traced piece of work names its trace (the correlation id).
        mixin: () => {
          const trace = currentTrace();
          return trace ? { trace_id: trace.traceId, span_id: trace.spanId } : {};
        },
        autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' || req.url === '/readiness' },
        serializers: {
          req: (req: { method?: string; url?: string; id?: unknown }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
        },
      },
    });
  }
}
