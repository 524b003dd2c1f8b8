import { LlmProviderError } from '../llm.errors';
import { AnthropicLlmProvider, toAnthropicMessages } from './anthropic-llm.provider';
import { collect } from '@shannon/testing';

function sse(events: object[]): Response {
  const body = events.map((event) => `event: ${(event as { type: string }).type}\ndata: ${JSON.stringify(event)}\n\n`).join('');
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

describe(AnthropicLlmProvider.name, () => {
  it('streams text deltas and tool calls from the Messages API with usage', async () => {
    const fetch = jest.fn().mockResolvedValue(
      sse([
        { type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', model: 'claude-3-5-haiku-latest', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 11, output_tokens: 1 } } },
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Let me ' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'compute.' } },
        { type: 'content_block_stop', index: 0 },
        { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'calculator', input: {} } },
        { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"expression": "6 * 7"}' } },
        { type: 'content_block_stop', index: 1 },
        { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 17 } },
        { type: 'message_stop' },
      ]),
    );
    const sut = new AnthropicLlmProvider({ apiKey: 'k', timeoutMs: 5_000, fetch });

    const events = await collect(sut.stream({ model: 'claude-3-5-haiku-latest', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'What is 6 * 7?' }] }));

    expect(events.filter((e) => e.type === 'delta').map((e) => (e.type === 'delta' ? e.text : ''))).toEqual(['Let me ', 'compute.']);
    expect(events[events.length - 1]).toEqual({
      type: 'done',
      text: 'Let me compute.',
      usage: { inputTokens: 11, outputTokens: 17 },
      model: 'claude-3-5-haiku-latest',
      provider: 'anthropic',
      finishReason: 'tool_calls',
      toolCalls: [{ id: 'toolu_1', name: 'calculator', arguments: { expression: '6 * 7' } }],
    });
    const sent = JSON.parse(String((fetch.mock.calls[0] as [string, RequestInit])[1].body)) as Record<string, unknown>;
    expect(sent).toMatchObject({ system: 'Be brief.', stream: true, messages: [{ role: 'user', content: 'What is 6 * 7?' }] });
  });

  it('makes a 529 overload a retryable error that says what to do', async () => {
    const fetch = jest.fn().mockResolvedValue(new Response(JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }), { status: 529 }));
    const sut = new AnthropicLlmProvider({ apiKey: 'k', timeoutMs: 5_000, fetch });

    const error = await collect(sut.stream({ messages: [{ role: 'user', content: 'hi' }] })).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LlmProviderError);
    expect(error).toMatchObject({ retryable: true, provider: 'anthropic' });
    expect((error as Error).message).toMatch(/anthropic failed with 529/);
  });

  it('sends tool results back as tool_result blocks of one user turn', () => {
    expect(
      toAnthropicMessages([
        { role: 'user', content: 'q' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'a', name: 'calculator', arguments: { expression: '1+1' } }] },
        { role: 'tool', content: '2', toolCallId: 'a', name: 'calculator' },
      ]),
    ).toEqual([
      { role: 'user', content: 'q' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'calculator', input: { expression: '1+1' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'a', content: '2' }] },
    ]);
  });
});
