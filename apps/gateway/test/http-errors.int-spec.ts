import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@shannon/config';
import { freePort } from '@shannon/testing';
import { createGateway } from '../src/bootstrap';
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

  it('takes a JSON content type with an empty body as no body', async () => {
    const response = await sut
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'POST', url: '/api/v1/tasks/task_1/cancel', headers: { 'content-type': 'application/json', 'content-length': '0' } });
    // Past body parsing: the request reaches authentication instead of failing as an empty JSON body.
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
