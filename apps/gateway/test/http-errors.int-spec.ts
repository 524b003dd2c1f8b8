import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@shannon/config';
import { freePort } from '@shannon/testing';
import { createGateway } from '../src/bootstrap';
import { MAX_BODY_DEPTH } from '../src/http/body-depth.hook';
import { gatewayConfigSchema } from '../src/config';

/** Errors raised before any service is called: the gateway alone, with Fastify's inject. */
describe('gateway HTTP errors', () => {
  let sut: NestFastifyApplication;

  beforeAll(async () => {
    // Every internal service points at a port nothing listens on, and Redis at a closed port.
    const closed = async () => `http://127.0.0.1:${await freePort()}`;
    sut = await createGateway(
      loadConfig(gatewayConfigSchema, {
        LOG_LEVEL: 'silent',
        ENVIRONMENT: 'test',
        GATEWAY_SKIP_AUTH: '0',
        AUTH_GRPC_URL: await closed(),
        SESSION_GRPC_URL: await closed(),
        TASK_GRPC_URL: await closed(),
        STREAMING_GRPC_URL: await closed(),
        REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      }),
    );
    await sut.init();
  });

  afterAll(async () => {
    await sut.close();
  });

  const post = (payload: string, contentType: string) =>
    sut.getHttpAdapter().getInstance().inject({ method: 'POST', url: '/api/v1/tasks', headers: { 'content-type': contentType }, payload });

  it('names a malformed JSON body', async () => {
    const response = await post('{"query": ', 'application/json');
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatch(/^Invalid request body: /);
  });

  it.each([
    ['a __proto__ key', '{"query":"hi","__proto__":{"admin":true}}'],
    ['a nested __proto__ key', '{"query":"hi","context":{"a":[{"__proto__":{}}]}}'],
    ['a constructor.prototype key', '{"query":"hi","context":{"constructor":{"prototype":{"admin":true}}}}'],
    ['a __proto__ key after a byte-order mark', '\uFEFF{"__proto__":{}}'],
  ])('refuses %s, valid JSON, saying which keys are not allowed', async (_label, payload) => {
    const response = await post(payload, 'application/json');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'Invalid request body: "__proto__" and "constructor.prototype" keys are not allowed' });
  });

  it('still takes a constructor key without a prototype, and __proto__ as a value', async () => {
    expect((await post('{"query":"__proto__","context":{"constructor":{"name":"x"}}}', 'application/json')).statusCode).toBe(401);
  });

  it('still reads a form body on other methods than POST, PUT and PATCH, as Nest does', async () => {
    const response = await sut
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'DELETE', url: '/api/v1/sessions/s1', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1' });
    // Past body parsing: the request reaches authentication instead of a 415.
    expect(response.statusCode).toBe(401);
  });

  it('still refuses a body over the limit with 413', async () => {
    const response = await post(JSON.stringify({ query: 'q', pad: 'x'.repeat(3 * 1024 * 1024) }), 'application/json');
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({ error: 'Request body too large' });
  });

  it.each(['text/plain', 'application/xml', 'multipart/form-data; boundary=x'])('answers 415 to %s', async (contentType) => {
    const response = await post('query=hi', contentType);
    expect(response.statusCode).toBe(415);
    expect(response.json()).toEqual({ error: 'Unsupported content type: use application/json' });
  });

  it("reads curl's default form type as JSON (seed 001's `curl -d` examples send no Content-Type)", async () => {
    // Past body parsing: the request reaches authentication.
    expect((await post('{"query": "Process once"}', 'application/x-www-form-urlencoded')).statusCode).toBe(401);
    const notJson = await post('query=hi', 'application/x-www-form-urlencoded');
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error).toMatch(/^Invalid request body: /);
  });

  it('reads a body without a content type as JSON', async () => {
    const response = await sut.getHttpAdapter().getInstance().inject({ method: 'POST', url: '/api/v1/tasks', payload: Buffer.from('{"query":"hi"}') });
    expect(response.statusCode).toBe(401);
  });

  it('answers a path that is not valid percent-encoding in the public error shape, with its trace', async () => {
    const response = await sut.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/api/v1/tasks/%E0%A4%A' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'Invalid URL: the path is not valid percent-encoding' });
    expect(response.headers['x-trace-id']).toMatch(/^[0-9a-f]{32}$/);
  });

  describe('text PostgreSQL cannot store, refused on every route before anything runs', () => {
    const inject = (method: 'POST' | 'PATCH', url: string, body: string) =>
      sut.getHttpAdapter().getInstance().inject({ method, url, headers: { 'content-type': 'application/json' }, payload: body });

    it.each([
      ['POST', '/api/v1/tasks', '{"query":"a\\u0000b"}', 'query must not contain the NUL character'],
      ['POST', '/api/v1/tasks', '{"query":"hi","context":{"a":"\\u0000"}}', 'context.a must not contain the NUL character'],
      ['POST', '/api/v1/tasks', '{"query":"hi","context":{"a\\u0000":"x"}}', 'a key of context must not contain the NUL character: "a\\u0000"'],
      ['POST', '/api/v1/tasks', '{"query":"hi","context":{"a":"\\ud83d"}}', 'context.a must be well-formed Unicode text'],
      ['POST', '/api/v1/tasks/stream', '{"query":"\\ude00"}', 'query must be well-formed Unicode text'],
      ['POST', '/api/v1/auth/register', '{"email":"a\\u0000@example.com","username":"ada","password":"password123"}', 'email must not contain the NUL character'],
      ['POST', '/api/v1/auth/login', '{"email":"a\\u0000@example.com","password":"password123"}', 'email must not contain the NUL character'],
      ['POST', '/api/v1/auth/api-keys', '{"name":"k","description":"d\\u0000"}', 'description must not contain the NUL character'],
      ['POST', '/api/v1/tasks/task_1/cancel', '{"reason":"x\\u0000y"}', 'reason must not contain the NUL character'],
      ['POST', '/api/v1/tasks/task_1/pause', '{"reason":"x\\ud83d"}', 'reason must be well-formed Unicode text'],
      ['PATCH', '/api/v1/sessions/s1', '{"title":"a\\u0000"}', 'title must not contain the NUL character'],
    ] as const)('%s %s %s', async (method, url, body, message) => {
      // No credentials: the body is refused before authentication, like a body that is not JSON.
      const response = await inject(method, url, body);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json()).toEqual({ error: message });
      expect(response.headers['x-trace-id']).toMatch(/^[0-9a-f]{32}$/);
    });

    it('lets emoji (surrogate pairs, escaped or not) and other control characters through', async () => {
      expect((await inject('POST', '/api/v1/tasks', '{"query":"\\ud83d\\ude00 😀 \\u0001","context":{"\\ud83d\\ude00":"\\t"}}')).statusCode).toBe(401);
    });
  });

  describe('bodies nested too deeply for validation to walk, refused on every route', () => {
    /** A body `levels` deep, itself the first, with the nesting under `field`. */
    const nested = (levels: number, field: string, extra = '') => `{${extra}"${field}":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;
    const inject = (url: string, payload: string) => sut.getHttpAdapter().getInstance().inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload });

    it.each([
      ['/api/v1/tasks', 'one level too deep', nested(MAX_BODY_DEPTH + 1, 'context', '"query":"hi",')],
      ['/api/v1/tasks', '5,000 levels', nested(5_000, 'context', '"query":"hi",')],
      // Before: Nest's validation pipe overflowed its stack on any route with a body type (a 500).
      ['/api/v1/auth/login', '100,000 levels in an unknown field', nested(100_000, 'x', '"email":"a@example.com","password":"password123",')],
      ['/api/v1/tasks/task_1/cancel', '100,000 levels', nested(100_000, 'reason')],
    ])('POST %s, %s', async (url, _label, payload) => {
      const response = await inject(url, payload);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: `Request body is nested too deeply (at most ${MAX_BODY_DEPTH} levels)` });
    });

    it(`lets a body ${MAX_BODY_DEPTH} levels deep through to the route`, async () => {
      expect((await inject('/api/v1/tasks', nested(MAX_BODY_DEPTH, 'context', '"query":"hi",'))).statusCode).toBe(401);
    });
  });

  it('takes a JSON content type with an empty body as no body', async () => {
    const response = await sut
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'POST', url: '/api/v1/tasks/task_1/cancel', headers: { 'content-type': 'application/json', 'content-length': '0' } });
    // Past body parsing: the request reaches authentication instead of failing as an empty JSON body.
    expect(response.statusCode).toBe(401);
  });

  it("takes a DELETE with a JSON content type and no body (Shannon's Python SDK sends one) as no body", async () => {
    const response = await sut.getHttpAdapter().getInstance().inject({ method: 'DELETE', url: '/api/v1/sessions/s1', headers: { 'content-type': 'application/json' } });
    expect(response.statusCode).toBe(401);
  });

  it('asks for credentials when none are sent and skip-auth is off', async () => {
    const response = await post('{"query":"hi"}', 'application/json');
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="Shannon API"');
    expect(response.body).toBe('{"error":"Authentication required"}');
  });

  it('answers unknown routes with JSON 404', async () => {
    const response = await sut.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/nope' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: 'Not found' });
  });

  it('answers 503 from /readiness naming every dependency that is down', async () => {
    const response = await sut.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/readiness' });
    expect(response.statusCode).toBe(503);
    const body = response.json();
    expect(body.status).toBe('not ready');
    for (const name of ['auth', 'session', 'task', 'streaming', 'redis']) {
      expect(body.checks[name]).toMatch(/^unreachable/);
    }
    expect(body.checks.postgres).toMatch(/^unknown/);
    expect(body.checks.nats).toMatch(/^unknown/);
  });

  it('stays alive for /health while dependencies are down', async () => {
    const response = await sut.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'healthy', version: expect.any(String), time: expect.any(String) });
  });
});
