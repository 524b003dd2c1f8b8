import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@shannon/config';
import { register } from 'prom-client';
import { createGateway } from '../src/bootstrap';
import { RedisClient } from '../src/clients/redis.client';
import { gatewayConfigSchema } from '../src/config';
import { RateLimiter } from '../src/rate-limit/rate-limiter';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** Tracing, CORS and preflight: answered by the gateway alone, before any service is called. */
describe('gateway edge: tracing and CORS', () => {
  let sut: NestFastifyApplication;
  const inject = (options: { method: 'GET' | 'POST' | 'OPTIONS'; url: string; headers?: Record<string, string>; payload?: string }) =>
    sut.getHttpAdapter().getInstance().inject(options);

  describe('in development (CORS *)', () => {
    beforeAll(async () => {
      sut = await createGateway(loadConfig(gatewayConfigSchema, { LOG_LEVEL: 'silent', ENVIRONMENT: 'test', GATEWAY_SKIP_AUTH: '0' }));
      await sut.init();
    });

    afterAll(async () => {
      await sut.close();
    });

    it('names the caller’s trace in X-Trace-ID, even on a 401', async () => {
      const response = await inject({ method: 'GET', url: '/api/v1/tasks', headers: { traceparent: TRACEPARENT } });
      expect(response.statusCode).toBe(401);
      expect(response.headers['x-trace-id']).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    });

    it.each([
      ['no traceparent', {}],
      ['a malformed one', { traceparent: 'garbage' }],
      ['the seed’s 64-character trace id', { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e47360011223344556677-00f067aa0ba902b7-01' }],
      ['an all-zero trace id', { traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` }],
    ])('starts a new trace for %s, without an error', async (_label, headers) => {
      const response = await inject({ method: 'GET', url: '/health', headers });
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-trace-id']).toMatch(/^[0-9a-f]{32}$/);
      expect(response.headers['x-trace-id']).not.toBe('0'.repeat(32));
    });

    it('puts X-Trace-ID and CORS headers on every response: 404, 415 and health', async () => {
      for (const response of [
        await inject({ method: 'GET', url: '/nope', headers: { origin: 'https://app.example' } }),
        await inject({ method: 'POST', url: '/api/v1/tasks', headers: { origin: 'https://app.example', 'content-type': 'text/plain' }, payload: 'x' }),
        await inject({ method: 'GET', url: '/health', headers: { origin: 'https://app.example' } }),
      ]) {
        expect(response.headers['x-trace-id']).toMatch(/^[0-9a-f]{32}$/);
        expect(response.headers['access-control-allow-origin']).toBe('*');
        expect(response.headers['access-control-expose-headers']).toBe(
          'X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After, X-Workflow-ID, X-Session-ID, X-Trace-ID, X-Idempotency-Cached, Link',
        );
      }
    });

    it.each(['/api/v1/tasks', '/api/v1/tasks/task_1/events', '/api/v1/auth/api-keys', '/anything'])('answers a preflight to %s without credentials', async (url) => {
      const response = await inject({
        method: 'OPTIONS',
        url,
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-api-key,content-type' },
      });
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe('');
      expect(response.headers).toMatchObject({
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
        'access-control-allow-headers': 'Content-Type, Authorization, X-API-Key, Idempotency-Key, traceparent, tracestate, Last-Event-ID, Cache-Control',
        'access-control-max-age': '3600',
        'x-trace-id': expect.stringMatching(/^[0-9a-f]{32}$/),
      });
      expect(response.headers['www-authenticate']).toBeUndefined();
    });

    it('answers a bare OPTIONS (no Origin) too', async () => {
      expect((await inject({ method: 'OPTIONS', url: '/api/v1/tasks' })).statusCode).toBe(200);
    });

    it('refuses a malformed Idempotency-Key before anything else runs', async () => {
      // No credentials: authentication comes first, so the answer is 401, not 400 (nothing is revealed).
      const response = await inject({ method: 'POST', url: '/api/v1/tasks', headers: { 'content-type': 'application/json', 'idempotency-key': 'has space' }, payload: '{"query":"q"}' });
      expect(response.statusCode).toBe(401);
    });
  });

  describe('in production with an origin list', () => {
    beforeAll(async () => {
      sut = await createGateway(loadConfig(gatewayConfigSchema, { LOG_LEVEL: 'silent', ENVIRONMENT: 'production', INTERNAL_AUTH_SECRET: 'edge-test-internal-secret-0123456789abcdef', CORS_ALLOWED_ORIGINS: 'https://app.example,https://admin.example' }));
      await sut.init();
    });

    afterAll(async () => {
      await sut.close();
    });

    it('reflects an allowed Origin (with Vary: Origin) and omits the header for others', async () => {
      const allowed = await inject({ method: 'GET', url: '/health', headers: { origin: 'https://admin.example' } });
      expect(allowed.headers['access-control-allow-origin']).toBe('https://admin.example');
      expect(allowed.headers['vary']).toMatch(/Origin/);
      const other = await inject({ method: 'GET', url: '/health', headers: { origin: 'https://evil.example' } });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await inject({ method: 'OPTIONS', url: '/api/v1/tasks', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
      expect(preflight.statusCode).toBe(200);
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});

describe(`${RateLimiter.name} when Redis is down`, () => {
  it('lets the request through, counts it in metrics and never throws', async () => {
    const redis = RedisClient.connect('redis://127.0.0.1:1');
    const config = loadConfig(gatewayConfigSchema, { LOG_LEVEL: 'silent' });
    const sut = new RateLimiter(redis, config);
    const before = (await register.getSingleMetricAsString('gateway_fail_open_total').catch(() => '')).match(/feature="rate_limit"} (\d+)/)?.[1] ?? '0';

    const decision = await sut.forPrincipal({ tenantId: 't', userId: 'u', apiKeyId: 'k' });

    expect(decision).toMatchObject({ allowed: true, failedOpen: true, limit: 60, remaining: 60 });
    const after = (await register.getSingleMetricAsString('gateway_fail_open_total')).match(/feature="rate_limit"} (\d+)/)?.[1];
    expect(Number(after)).toBe(Number(before) + 1);
    await redis.onApplicationShutdown();
  });

  it('shows the whole bucket as available to /auth/me, as when limiting is off', async () => {
    const redis = RedisClient.connect('redis://127.0.0.1:1');
    const caller = { tenantId: 't', userId: 'u', rateLimit: { rpm: 30, burst: 5 } };
    const standing = { limits: { capacity: 5, perMinute: 30 }, available: 5 };

    await expect(new RateLimiter(redis, loadConfig(gatewayConfigSchema, { LOG_LEVEL: 'silent' })).standing(caller)).resolves.toEqual(standing);
    await expect(new RateLimiter(redis, loadConfig(gatewayConfigSchema, { LOG_LEVEL: 'silent', RATE_LIMIT_ENABLED: '0' })).standing(caller)).resolves.toEqual(standing);
    await redis.onApplicationShutdown();
  });
});
