import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@shannon/config';
import { connect } from 'node:net';
import { createGateway } from '../src/bootstrap';
import { gatewayConfigSchema } from '../src/config';

interface RawResponse {
  statusLine: string;
  headers: Record<string, string>;
  body: string;
}

/** Requests Node cannot read never reach Fastify's routing: sent over a raw socket to the listening gateway. */
describe('gateway: requests Node cannot read', () => {
  let sut: NestFastifyApplication;
  let port: number;

  beforeAll(async () => {
    sut = await createGateway(loadConfig(gatewayConfigSchema, { LOG_LEVEL: 'silent', ENVIRONMENT: 'test', GATEWAY_SKIP_AUTH: '0' }));
    await sut.listen(0, '127.0.0.1');
    port = (sut.getHttpServer().address() as { port: number }).port;
  });

  afterAll(async () => {
    await sut.close();
  });

  /** Writes `request` as is and reads until the server closes the connection. */
  function send(request: string): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(request));
      const chunks: Buffer[] = [];
      socket.on('data', (chunk) => chunks.push(chunk));
      // The server may reset a connection it closes with unread data: what it wrote is still here.
      socket.on('error', () => undefined);
      socket.on('close', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const [head, ...rest] = text.split('\r\n\r\n');
        if (!head) {
          reject(new Error('The server closed the connection without an answer'));
          return;
        }
        const [statusLine, ...lines] = head.split('\r\n');
        const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
        resolve({ statusLine, headers, body: rest.join('\r\n\r\n') });
      });
      socket.setTimeout(5_000, () => socket.destroy());
    });
  }

  const post = (headers: string, body: string) => `POST /api/v1/tasks HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n${headers}\r\n${body}`;

  it.each([
    ['a malformed Content-Length', post('Content-Length: abc\r\n', '{}'), 400, 'Invalid Content-Length header (Invalid character in Content-Length)'],
    ['Content-Length twice', post('Content-Length: 2\r\nContent-Length: 3\r\n', '{}'), 400, 'Invalid Content-Length header (Duplicate Content-Length)'],
    [
      'Content-Length and chunked encoding both',
      post('Content-Length: 2\r\nTransfer-Encoding: chunked\r\n', '2\r\n{}\r\n0\r\n\r\n'),
      400,
      "Invalid Transfer-Encoding header (Transfer-Encoding can't be present with Content-Length)",
    ],
    ['a chunk size that is not hexadecimal', post('Transfer-Encoding: chunked\r\n', 'zz\r\n{}\r\n0\r\n\r\n'), 400, 'Invalid chunked body (Invalid character in chunk size)'],
    ['a chunk not ended by CRLF', post('Transfer-Encoding: chunked\r\n', '2\r\n{}XX0\r\n\r\n'), 400, 'Malformed HTTP request (Expected LF after chunk data)'],
    ['a NUL character in a header value', 'GET /api/v1/tasks HTTP/1.1\r\nHost: gateway\r\nIdempotency-Key: a\u0000b\r\n\r\n', 400, 'Invalid header (Invalid header value char)'],
    ['an invalid method', 'G@T /health HTTP/1.1\r\nHost: gateway\r\n\r\n', 400, 'Invalid HTTP method (Invalid method encountered)'],
    ['headers over 16 KiB', `GET /api/v1/tasks HTTP/1.1\r\nHost: gateway\r\nX-Padding: ${'p'.repeat(20_000)}\r\n\r\n`, 431, 'Request Header Fields Too Large'],
    ['chunk extensions over 16 KiB', post('Transfer-Encoding: chunked\r\n', `2;${'e'.repeat(20_000)}\r\n{}\r\n0\r\n\r\n`), 413, 'Chunk extensions too large'],
  ])('answers %s in the public error shape, with the status Node chose', async (_label, request, status, error) => {
    const response = await send(request);
    expect(response.statusLine).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(response.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      connection: 'close',
      'x-trace-id': expect.stringMatching(/^[0-9a-f]{32}$/),
      'content-length': String(Buffer.byteLength(response.body)),
    });
    expect(JSON.parse(response.body)).toEqual({ error });
  });

  it('gives each refusal a trace of its own, and keeps serving', async () => {
    const request = post('Content-Length: abc\r\n', '{}');
    const [first, second] = await Promise.all([send(request), send(request)]);
    expect(first.headers['x-trace-id']).not.toBe(second.headers['x-trace-id']);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
  });
});
