import { allowedOrigins, corsOptions } from './cors-options';

describe(corsOptions.name, () => {
  it('allows every origin by default in development and none elsewhere', () => {
    expect(allowedOrigins({ ENVIRONMENT: 'development' })).toBe('*');
    expect(allowedOrigins({ ENVIRONMENT: 'production' })).toEqual([]);
    expect(allowedOrigins({ ENVIRONMENT: 'development', CORS_ALLOWED_ORIGINS: '' })).toBe('*');
  });

  it('matches a configured list (and * anywhere in it allows all)', () => {
    expect(allowedOrigins({ ENVIRONMENT: 'production', CORS_ALLOWED_ORIGINS: ' https://a.example , https://b.example ' })).toEqual(['https://a.example', 'https://b.example']);
    expect(allowedOrigins({ ENVIRONMENT: 'production', CORS_ALLOWED_ORIGINS: 'https://a.example,*' })).toBe('*');
  });

  it('names the methods and headers of API.md and answers preflights with 200', () => {
    expect(corsOptions({ ENVIRONMENT: 'dev' })).toMatchObject({
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      allowedHeaders: ['Content-Type', 'Authorization', 'X-API-Key', 'Idempotency-Key', 'traceparent', 'tracestate', 'Last-Event-ID', 'Cache-Control'],
      exposedHeaders: expect.arrayContaining(['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'X-Workflow-ID', 'X-Session-ID', 'X-Trace-ID']),
      optionsSuccessStatus: 200,
      strictPreflight: false,
    });
  });
});
