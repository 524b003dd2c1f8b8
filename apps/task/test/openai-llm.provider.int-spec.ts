import { collect, waitFor } from '@shannon/testing';
import { LlmAbortedError, LlmProviderError, OpenAiLlmProvider, RetryingLlmProvider, type RetryNotice } from '../src/llm';
import { CalculatorTool } from '../src/tools/calculator.tool';
import { OpenAiCompatibleServer } from './support/openai-compatible.server';

const ask = (model: string, extra: object = {}) => ({ model, messages: [{ role: 'user' as const, content: 'Say hello' }], ...extra });

/** The openai provider over real HTTP against an OpenAI-compatible server started by the test. */
describe(OpenAiLlmProvider.name, () => {
  const server = new OpenAiCompatibleServer();
  let sut: OpenAiLlmProvider;

  beforeAll(async () => {
    sut = new OpenAiLlmProvider({ apiKey: 'sk-test-key', baseURL: await server.start(), timeoutMs: 10_000 });
  });

  afterAll(() => server.stop());

  it('streams the chunks as deltas, then the full text with the server-reported usage', async () => {
    const events = await collect(sut.stream(ask('gpt-4o-mini')));

    const deltas = events.filter((event) => event.type === 'delta').map((event) => event.text);
    expect(deltas).toEqual(['Hello ', 'from ', 'the ', 'test ', 'server.']);
    expect(events[events.length - 1]).toEqual({
      type: 'done',
      text: 'Hello from the test server.',
      usage: { inputTokens: 12, outputTokens: 5 },
      model: 'gpt-4o-mini',
      provider: 'openai',
      finishReason: 'stop',
    });
    const request = server.requests[server.requests.length - 1];
    expect(request.authorization).toBe('Bearer sk-test-key');
    expect(request.body).toMatchObject({ stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Say hello' }] });
  });

  it('assembles a streamed tool call and sends tool results back in OpenAI form', async () => {
    const tools = [new CalculatorTool().spec];
    const first = await collect(sut.stream(ask('tool-user', { tools })));
    const done = first[first.length - 1];
    expect(done).toMatchObject({ type: 'done', finishReason: 'tool_calls', toolCalls: [{ id: 'call_1', name: 'calculator', arguments: { expression: '6 * 7' } }], usage: { inputTokens: 20, outputTokens: 9 } });

    const second = await collect(
      sut.stream({
        model: 'tool-user',
        tools,
        messages: [
          { role: 'user', content: 'What is 6 * 7?' },
          { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'calculator', arguments: { expression: '6 * 7' } }] },
          { role: 'tool', content: '{"result":"42"}', toolCallId: 'call_1', name: 'calculator' },
        ],
      }),
    );
    expect(second[second.length - 1]).toMatchObject({ text: '6 * 7 is 42.', finishReason: 'stop' });
    expect(server.requests[server.requests.length - 1].body['messages']).toEqual([
      { role: 'user', content: 'What is 6 * 7?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'calculator', arguments: '{"expression":"6 * 7"}' } }] },
      { role: 'tool', content: '{"result":"42"}', tool_call_id: 'call_1' },
    ]);
  });

  it('turns a 500 into a retryable error a person can act on', async () => {
    const error = await collect(sut.stream(ask('broken-500'))).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LlmProviderError);
    expect(error).toMatchObject({ retryable: true, provider: 'openai' });
    expect((error as Error).message).toMatch(/openai failed with 500: .*upstream exploded.*retry later/);
  });

  it('retries a 429 after the server-given delay and then succeeds', async () => {
    const notices: RetryNotice[] = [];
    const retrying = new RetryingLlmProvider(sut, { maxRetries: 2, baseDelayMs: 1_000 }, (notice) => notices.push(notice));
    const before = server.requests.filter((r) => r.model === 'flaky-429').length;

    const events = await collect(retrying.stream(ask('flaky-429')));

    expect(events[events.length - 1]).toMatchObject({ type: 'done', text: 'Hello from the test server.' });
    expect(server.requests.filter((r) => r.model === 'flaky-429').length - before).toBe(2);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ attempt: 1, delayMs: 5 });
    expect(notices[0].error.message).toMatch(/rate-limited the request \(429\)/);
  });

  it('gives up after the retries on a lasting 500', async () => {
    const retrying = new RetryingLlmProvider(sut, { maxRetries: 2, baseDelayMs: 1 });
    const before = server.requests.filter((r) => r.model === 'broken-500').length;

    await expect(collect(retrying.stream(ask('broken-500')))).rejects.toThrow(/failed with 500/);
    expect(server.requests.filter((r) => r.model === 'broken-500').length - before).toBe(3);
  });

  it('stops the HTTP stream on abort and reports the tokens received so far', async () => {
    const controller = new AbortController();
    const received: string[] = [];
    const consume = (async () => {
      for await (const event of sut.stream(ask('slow', { signal: controller.signal }))) {
        if (event.type === 'delta' && event.text.trim()) {
          received.push(event.text);
          if (received.length === 5) {
            controller.abort();
          }
        }
      }
    })();

    const error = await consume.catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LlmAbortedError);
    expect((error as LlmAbortedError).usage.outputTokens).toBe(received.length);
    const sentAtAbort = server.slowChunksSent;
    // the server notices the closed connection and stops producing
    await waitFor(() => server.slowChunksSent === sentAtAbort || undefined, { timeoutMs: 2_000 });
    expect(server.slowChunksSent).toBeLessThan(50);
  });
});
