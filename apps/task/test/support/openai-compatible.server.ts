import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small OpenAI-compatible chat completions server for tests, over real HTTP. The requested
 * model picks the behaviour:
 *   "gpt-4o-mini" (or any other)  streams "Hello from the test server." with usage
 *   "flaky-429"                  answers 429 (retry-after-ms: 5) to the first request, then streams
 *   "broken-500"                 always answers 500
 *   "slow"                       streams 200 chunks 20 ms apart (abort it)
 *   "tool-user"                  asks for the calculator on the first turn, answers with the result after
 */
export interface ReceivedRequest {
  model: string;
  body: Record<string, unknown>;
  authorization?: string;
}

export class OpenAiCompatibleServer {
  readonly requests: ReceivedRequest[] = [];
  /** Chunks written to "slow" streams so far (to see that an abort stops production). */
  slowChunksSent = 0;
  private server?: Server;
  private flakyFailures = 0;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>;
    const model = String(body['model']);
    this.requests.push({ model, body, authorization: req.headers.authorization });
    if (req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    if (model === 'broken-500') {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'upstream exploded', type: 'server_error' } }));
      return;
    }
    if (model === 'flaky-429' && this.flakyFailures++ === 0) {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': '5' }).end(JSON.stringify({ error: { message: 'slow down', type: 'rate_limit' } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (payload: unknown) => res.write(`data: ${JSON.stringify(payload)}\n\n`);
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
      send({ id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta, finish_reason: finish }] });
    const messages = (body['messages'] as { role: string }[]) ?? [];
    if (model === 'tool-user' && !messages.some((m) => m.role === 'tool')) {
      chunk({ role: 'assistant', tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'calculator', arguments: '' } }] });
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"expression":' } }] });
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"6 * 7"}' } }] }, 'tool_calls');
      send({ id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 1, model, choices: [], usage: { prompt_tokens: 20, completion_tokens: 9, total_tokens: 29 } });
      res.end('data: [DONE]\n\n');
      return;
    }
    const words = model === 'slow' ? Array.from({ length: 200 }, (_, i) => `w${i} `) : model === 'tool-user' ? ['6 * 7 ', 'is ', '42.'] : ['Hello ', 'from ', 'the ', 'test ', 'server.'];
    chunk({ role: 'assistant', content: '' });
    for (const word of words) {
      if (res.destroyed) {
        return;
      }
      chunk({ content: word });
      if (model === 'slow') {
        this.slowChunksSent += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    chunk({}, 'stop');
    send({ id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 1, model, choices: [], usage: { prompt_tokens: 12, completion_tokens: words.length, total_tokens: 12 + words.length } });
    res.end('data: [DONE]\n\n');
  }
}
