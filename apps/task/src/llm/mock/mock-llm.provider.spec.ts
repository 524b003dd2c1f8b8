import { collect } from '@shannon/testing';
import { getEventListeners } from 'node:events';
import type {
  ChatMessage,
  LlmDoneEvent,
  LlmRequest,
  LlmStreamEvent,
} from '../llm-provider';
import { LlmAbortedError, LlmProviderError } from '../llm.errors';
import { composeMockAnswer } from './mock-answer';
import { MockLlmProvider } from './mock-llm.provider';
import { countTokens, tokenize } from './tokenize';

const user = (content: string): ChatMessage => ({ role: 'user', content });
const fast = { tokenDelayMs: 0, startDelayMs: 0 };

function splitEvents(events: LlmStreamEvent[]): {
  deltas: string[];
  done: LlmDoneEvent;
} {
  const deltas = events.flatMap((event) =>
    event.type === 'delta' ? [event.text] : [],
  );
  const last = events[events.length - 1];
  if (last?.type !== 'done') {
    throw new Error('the stream did not end with a done event');
  }
  expect(events.filter((event) => event.type === 'done')).toHaveLength(1);
  return { deltas, done: last };
}

describe(MockLlmProvider.name, () => {
  let sut: MockLlmProvider;

  beforeEach(() => {
    sut = new MockLlmProvider();
  });

  it('is named mock and reports mock-model-v1 unless a model is requested', async () => {
    const messages = [user('hello')];

    const byDefault = splitEvents(
      await collect(sut.stream({ messages, mock: fast })),
    ).done;
    const named = splitEvents(
      await collect(sut.stream({ messages, mock: fast, model: 'gpt-x' })),
    ).done;

    expect(sut.name).toBe('mock');
    expect(byDefault).toMatchObject({
      provider: 'mock',
      model: 'mock-model-v1',
    });
    expect(named).toMatchObject({ provider: 'mock', model: 'gpt-x' });
  });

  it('streams deltas that concatenate to the done text, which is the mock answer', async () => {
    const messages = [user('What is the capital of France?')];

    const { deltas, done } = splitEvents(
      await collect(sut.stream({ messages, mock: fast })),
    );

    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(done.text);
    expect(done.text).toBe('The capital of France is Paris.');
    expect(done.finishReason).toBe('stop');
  });

  it.each([
    ['150 emoji', '😀'.repeat(150)],
    ['"ab" and 150 emoji', 'ab' + '😀'.repeat(150)],
    ['"ab" and 5000 emoji', 'ab' + '😀'.repeat(5000)],
  ])(
    'streams the answer to %s in well-formed deltas (no half of an emoji)',
    async (_, query) => {
      const { deltas, done } = splitEvents(
        await collect(sut.stream({ messages: [user(query)], mock: fast })),
      );

      expect(deltas.filter((delta) => !delta.isWellFormed())).toEqual([]);
      expect(done.text.isWellFormed()).toBe(true);
      expect(deltas.join('')).toBe(done.text);
    },
  );

  it('counts input tokens over every message and output tokens as tokens produced', async () => {
    const messages = [
      { role: 'system' as const, content: 'You are terse.' },
      user('What is Python?'),
      { role: 'assistant' as const, content: 'Python is a language.' },
      user('What are its main advantages?'),
    ];

    const { deltas, done } = splitEvents(
      await collect(sut.stream({ messages, mock: fast })),
    );

    expect(done.usage).toEqual({
      inputTokens: countTokens(
        messages.map((message) => message.content).join('\n'),
      ),
      outputTokens: tokenize(composeMockAnswer(messages)).length,
    });
    expect(done.usage.outputTokens).toBe(deltas.length);
    expect(done.text).toMatch(/^Python's main advantages are /);
  });

  it('truncates at maxOutputTokens with finishReason length', async () => {
    const request: LlmRequest = {
      messages: [user('Write a 100 word essay about tea')],
      maxOutputTokens: 5,
      mock: fast,
    };

    const { deltas, done } = splitEvents(await collect(sut.stream(request)));

    expect(deltas).toHaveLength(5);
    expect(done.text).toBe(deltas.join(''));
    expect(done.text).toBe('This essay is about tea');
    expect(done.finishReason).toBe('length');
    expect(done.usage.outputTokens).toBe(5);
  });

  it('finishes with stop when maxOutputTokens is not reached', async () => {
    const messages = [user('What is the capital of France?')];
    const exact = tokenize(composeMockAnswer(messages)).length;

    const { done } = splitEvents(
      await collect(
        sut.stream({ messages, maxOutputTokens: exact, mock: fast }),
      ),
    );

    expect(done.finishReason).toBe('stop');
    expect(done.text).toBe('The capital of France is Paris.');
  });

  it.each([0, -1, 2.5, Number.NaN])(
    'rejects maxOutputTokens %p as a non-retryable provider error',
    async (maxOutputTokens) => {
      const stream = sut.stream({
        messages: [user('hi')],
        maxOutputTokens,
        mock: fast,
      });

      await expect(collect(stream)).rejects.toMatchObject({
        name: 'LlmProviderError',
        retryable: false,
        message: expect.stringContaining('maxOutputTokens'),
      });
      await expect(
        collect(
          sut.stream({ messages: [user('hi')], maxOutputTokens, mock: fast }),
        ),
      ).rejects.toBeInstanceOf(LlmProviderError);
    },
  );

  it('rejects negative delays', async () => {
    expect(() => new MockLlmProvider({ defaultTokenDelayMs: -1 })).toThrow(
      RangeError,
    );
    await expect(
      collect(
        sut.stream({ messages: [user('hi')], mock: { tokenDelayMs: -5 } }),
      ),
    ).rejects.toBeInstanceOf(LlmProviderError);
  });

  it('stops within a few tokens when aborted mid-stream and reports partial usage', async () => {
    const controller = new AbortController();
    const messages = [user('Write a 200 word essay about bridges')];
    const deltas: string[] = [];

    const consume = async (): Promise<void> => {
      for await (const event of sut.stream({
        messages,
        signal: controller.signal,
        mock: { tokenDelayMs: 5, startDelayMs: 0 },
      })) {
        if (event.type === 'delta') {
          deltas.push(event.text);
          if (deltas.length === 3) {
            controller.abort();
          }
        }
      }
    };

    const error = await consume().then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(LlmAbortedError);
    const aborted = error as LlmAbortedError;
    expect(aborted.name).toBe('LlmAbortedError');
    expect(deltas.length).toBeLessThanOrEqual(4);
    expect(aborted.usage.outputTokens).toBe(deltas.length);
    expect(aborted.usage.inputTokens).toBe(countTokens(messages[0].content));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('honours the start delay and can be aborted before the first token', async () => {
    const controller = new AbortController();
    const events: LlmStreamEvent[] = [];
    const startedAt = Date.now();
    setTimeout(() => controller.abort(), 20);

    const consume = async (): Promise<void> => {
      for await (const event of sut.stream({
        messages: [user('hello')],
        signal: controller.signal,
        mock: { startDelayMs: 60_000, tokenDelayMs: 0 },
      })) {
        events.push(event);
      }
    };

    await expect(consume()).rejects.toMatchObject({
      name: 'LlmAbortedError',
      usage: { outputTokens: 0 },
    });
    expect(events).toEqual([]);
    expect(Date.now() - startedAt).toBeLessThan(2_000);
  });

  it('waits the start delay before the first token', async () => {
    const startedAt = Date.now();
    const stream = sut.stream({
      messages: [user('hello')],
      mock: { startDelayMs: 60, tokenDelayMs: 0 },
    });

    const first = await stream[Symbol.asyncIterator]().next();

    expect(first.value).toMatchObject({ type: 'delta' });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(50);
  });

  it('throws at once when the signal has already aborted', async () => {
    const controller = new AbortController();
    controller.abort();

    await expect(
      collect(
        sut.stream({
          messages: [user('hello')],
          signal: controller.signal,
          mock: { startDelayMs: 0 },
        }),
      ),
    ).rejects.toBeInstanceOf(LlmAbortedError);
  });

  it('leaves no abort listeners behind on the signal after a paced stream', async () => {
    const controller = new AbortController();

    await collect(
      sut.stream({
        messages: [user('What is Redis?')],
        signal: controller.signal,
        mock: { tokenDelayMs: 1, startDelayMs: 1 },
      }),
    );

    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('streams a 5000-word essay quickly with tokenDelayMs 0', async () => {
    const startedAt = Date.now();

    const { done } = splitEvents(
      await collect(
        sut.stream({
          messages: [user('Write a 5000 word essay about the sea')],
          mock: fast,
        }),
      ),
    );

    expect(Date.now() - startedAt).toBeLessThan(2_000);
    expect(done.text.split(/\s+/).filter(Boolean)).toHaveLength(5000);
  });

  it('yields to the event loop during long answers with tokenDelayMs 0', async () => {
    let deltas = 0;
    let deltasWhenImmediateRan: number | undefined;
    setImmediate(() => {
      deltasWhenImmediateRan = deltas;
    });

    for await (const event of sut.stream({
      messages: [user('Write a 2000 word essay about clocks')],
      mock: fast,
    })) {
      if (event.type === 'delta') {
        deltas++;
      }
    }

    expect(deltasWhenImmediateRan).toBeDefined();
    expect(deltasWhenImmediateRan).toBeLessThanOrEqual(64);
  });

  it('counts calls to stream, consumed or not', async () => {
    expect(sut.calls).toBe(0);

    sut.stream({ messages: [user('hello')], mock: fast });
    await collect(sut.stream({ messages: [user('hello')], mock: fast }));

    expect(sut.calls).toBe(2);
  });

  it('uses the constructor defaults when the request sets no pacing', async () => {
    const slow = new MockLlmProvider({
      defaultStartDelayMs: 60,
      defaultTokenDelayMs: 0,
    });
    const startedAt = Date.now();

    await collect(slow.stream({ messages: [user('hello')] }));

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(50);
  });
});
