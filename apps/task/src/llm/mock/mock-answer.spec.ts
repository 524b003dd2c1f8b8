import type { ChatMessage } from '../llm-provider';
import { composeMockAnswer } from './mock-answer';

const user = (content: string): ChatMessage => ({ role: 'user', content });
const assistant = (content: string): ChatMessage => ({
  role: 'assistant',
  content,
});
const ask = (...queries: string[]): string =>
  composeMockAnswer(queries.map(user));
const words = (text: string): string[] =>
  text.split(/\s+/).filter((word) => word.length > 0);

describe(composeMockAnswer.name, () => {
  describe('capitals', () => {
    it('answers the capital of France with the exact sentence', () => {
      expect(ask('What is the capital of France?')).toBe(
        'The capital of France is Paris.',
      );
    });

    it.each([
      ['capital of germany', 'The capital of Germany is Berlin.'],
      ['What is the CAPITAL OF JAPAN', 'The capital of Japan is Tokyo.'],
      [
        "what's the capital city of India?",
        'The capital of India is New Delhi.',
      ],
      [
        'capital of the USA?',
        'The capital of the United States is Washington, D.C.',
      ],
      [
        'What is the capital of the United States?',
        'The capital of the United States is Washington, D.C.',
      ],
      ['capital of uk', 'The capital of the United Kingdom is London.'],
      [
        'Capital of the Netherlands.',
        'The capital of the Netherlands is Amsterdam.',
      ],
      ['capital of brazil please', 'The capital of Brazil is Brasília.'],
      ['capital of Kenya', 'The capital of Kenya is Nairobi.'],
      ['capital of south korea', 'The capital of South Korea is Seoul.'],
    ])('%s → %s', (query, expected) => {
      expect(ask(query)).toBe(expected);
    });

    it('says honestly when it does not know a country', () => {
      expect(ask('What is the capital of atlantis?')).toBe(
        'The built-in mock model does not know the capital of Atlantis.',
      );
    });

    it('names an unknown country back cut by characters, never between the halves of an emoji', () => {
      const sut = ask(`capital of ${'😀'.repeat(70)}`);

      expect(sut).toBe(
        `The built-in mock model does not know the capital of ${'😀'.repeat(59)}….`,
      );
      expect(sut.isWellFormed()).toBe(true);
    });
  });

  describe('arithmetic', () => {
    it.each([
      ['what is 2 + 2', '2 + 2 = 4.'],
      ['12*7', '12 * 7 = 84.'],
      ['What is 10 - 15?', '10 - 15 = -5.'],
      ['calculate 7 / 2', '7 / 2 = 3.5.'],
      ['0.1 + 0.2', '0.1 + 0.2 = 0.3.'],
      ['what is 6 times 7?', '6 * 7 = 42.'],
      ['-3 * -4', '-3 * -4 = 12.'],
    ])('%s → %s', (query, expected) => {
      expect(ask(query)).toBe(expected);
    });

    it('refuses to divide by zero', () => {
      expect(ask('5 / 0')).toBe(
        '5 / 0 is undefined: division by zero has no result.',
      );
    });

    it('does not treat prose containing a dash as arithmetic', () => {
      expect(ask('Plan the 2025-2030 roadmap')).toMatch(
        /^\(mock\) I received your request/,
      );
    });
  });

  describe('greetings and haiku', () => {
    it.each(['hello', 'Hi!', 'hey there'])(
      'greets back for %j as the built-in mock model',
      (query) => {
        const sut = ask(query);

        expect(sut).toMatch(/^Hello!/);
        expect(sut).toContain('built-in mock model');
      },
    );

    it('writes a three-line haiku, about coding when asked', () => {
      const coding = ask('Write a haiku about coding');
      const other = ask('a haiku please');

      expect(coding.split('\n')).toHaveLength(3);
      expect(other.split('\n')).toHaveLength(3);
      expect(coding).not.toBe(other);
      expect(coding).toMatch(/bugs|tests|keys/i);
    });
  });

  describe('essays', () => {
    it('writes exactly 50 words and states the topic first', () => {
      const sut = ask('Write a 50 word essay about the ocean');

      expect(words(sut)).toHaveLength(50);
      expect(sut.split('.')[0]).toBe('This essay is about the ocean');
      expect(sut.endsWith('.')).toBe(true);
    });

    it.each([
      ['give me a 7-word story about dragons', 7],
      ['write about cats in 120 words', 120],
      ['Write a 5,000 word article on distributed systems', 5000],
      ['write a 1 word essay', 1],
    ])('%s has exactly %i words', (query, expected) => {
      expect(words(ask(query))).toHaveLength(expected);
    });

    it('takes the topic from "on" and drops the word count from it', () => {
      expect(ask('write about cats in 120 words')).toMatch(
        /^This text is about cats\./,
      );
      expect(ask('Write a 300 word article on distributed systems')).toMatch(
        /^This article is about distributed systems\./,
      );
    });

    it('caps the length at 100000 words', () => {
      expect(words(ask('Write a 150000 word essay about time'))).toHaveLength(
        100_000,
      );
    });

    it('varies the prose with the query but never between runs', () => {
      const first = ask('Write a 200 word essay about rivers');

      expect(ask('Write a 200 word essay about rivers')).toBe(first);
      expect(ask('Write a 200 word essay about mountains')).not.toBe(
        first.replace(/rivers/g, 'mountains'),
      );
    });
  });

  describe('topics', () => {
    it.each([
      ['What is Python?', /^Python is a high-level/],
      ['what is javascript', /^JavaScript is/],
      ['Explain TypeScript', /^TypeScript is/],
      ['What is Rust?', /^Rust is/],
      ['What is Go?', /^Go is/],
      ['what is docker', /^Docker is/],
      ['What is Kubernetes?', /^Kubernetes is/],
      ['what is NATS', /^NATS is/],
      ['What is PostgreSQL?', /^PostgreSQL is/],
      ['What is Redis?', /^Redis is/],
      ['What is machine learning?', /^Machine learning is/],
    ])('defines %s', (query, expected) => {
      const sut = ask(query);

      expect(sut).toMatch(expected);
      expect(sut.split(/(?<=\.)\s/).length).toBeLessThanOrEqual(3);
    });

    it('does not mistake the English word "go" for the language', () => {
      expect(ask("let's go shopping")).toMatch(
        /^\(mock\) I received your request/,
      );
    });

    it('answers an aspect of a topic named in the query itself', () => {
      expect(ask('What are the drawbacks of Redis?')).toMatch(
        /^Redis' main drawbacks are /,
      );
      expect(ask('What is Docker used for?')).toMatch(
        /^Docker is mainly used for /,
      );
    });
  });

  describe('conversation history', () => {
    it('resolves "its" to the topic of an earlier question', () => {
      const sut = composeMockAnswer([
        user('What is Python?'),
        assistant('Python is a programming language.'),
        user('What are its main advantages?'),
      ]);

      expect(sut).toMatch(/^Python's main advantages are /);
      expect(sut).toContain('readable syntax');
    });

    it('uses the most recent topic in the history', () => {
      const sut = ask(
        'What is Python?',
        'And what is Rust?',
        'What are its drawbacks?',
      );

      expect(sut).toMatch(/^Rust's main drawbacks are /);
    });

    it('names the topic for other questions about it', () => {
      expect(ask('Tell me about Docker', 'Who created it?')).toMatch(
        /^Docker was /,
      );
      expect(ask('Tell me about Docker', 'Is it fast?')).toMatch(
        /^Assuming "it" refers to Docker: /,
      );
    });

    it('ignores topics that only the assistant mentioned', () => {
      const sut = composeMockAnswer([
        user('Hello'),
        assistant('I can tell you about Python.'),
        user('What are its main advantages?'),
      ]);

      expect(sut).not.toContain('Python');
      expect(sut).toMatch(/not sure what "its" refers to/);
    });

    it('says so honestly when a pronoun has no usable history', () => {
      expect(ask('What are its main advantages?')).toBe(
        'I\'m not sure what "its" refers to: this conversation has no earlier topic the built-in mock model recognises. Please name the subject explicitly.',
      );
    });

    it('answers the last user message, ignoring system messages', () => {
      const sut = composeMockAnswer([
        {
          role: 'system',
          content: 'You are a helpful assistant. What is the capital of Spain?',
        },
        user('capital of Italy'),
      ]);

      expect(sut).toBe('The capital of Italy is Rome.');
    });
  });

  describe('JSON', () => {
    it('wraps the answer in a compact JSON object when asked', () => {
      const query = 'What is the capital of France? Respond in JSON.';

      const sut = ask(query);

      expect(sut).not.toContain('\n');
      expect(JSON.parse(sut)).toEqual({
        answer: 'The capital of France is Paris.',
        query,
      });
    });

    it('also understands "as json"', () => {
      expect(JSON.parse(ask('what is 2 + 2 as json'))).toEqual({
        answer: '2 + 2 = 4.',
        query: 'what is 2 + 2 as json',
      });
    });
  });

  describe('fallback', () => {
    it('echoes the request and explains how to configure a real model', () => {
      const sut = ask('Tell me a joke');

      expect(sut).toMatch(
        /^\(mock\) I received your request: "Tell me a joke"\. /,
      );
      expect(sut).toContain('OPENAI_API_KEY');
      expect(sut).toContain('ANTHROPIC_API_KEY');
    });

    it('truncates the echoed request to 200 characters', () => {
      const sut = ask(`Summarise ${'lorem '.repeat(100)}`);

      const echoed = /"(.*)"/.exec(sut)?.[1] ?? '';
      expect(echoed.length).toBe(200);
      expect(echoed.startsWith('Summarise lorem')).toBe(true);
    });

    it.each([
      ['150 emoji', '😀'.repeat(150)],
      ['"a" and 150 emoji', 'a' + '😀'.repeat(150)],
      ['"ab" and 150 emoji', 'ab' + '😀'.repeat(150)],
    ])('echoes %s whole: they are 200 characters or fewer', (_, query) => {
      const sut = ask(query);

      expect(/"(.*)"/u.exec(sut)?.[1]).toBe(query);
      expect(sut.isWellFormed()).toBe(true);
    });

    it('cuts a long request by characters, never between the halves of an emoji', () => {
      const sut = ask('ab' + '😀'.repeat(5000));

      const echoed = /"(.*)"/u.exec(sut)?.[1] ?? '';
      expect(sut.isWellFormed()).toBe(true);
      expect([...echoed]).toHaveLength(200);
      expect(echoed).toBe(`ab${'😀'.repeat(197)}…`);
    });

    it('answers an empty conversation without throwing', () => {
      expect(composeMockAnswer([])).toMatch(
        /^\(mock\) I received an empty request/,
      );
    });
  });

  describe('determinism', () => {
    const conversations: ChatMessage[][] = [
      [user('What is the capital of France?')],
      [user('Write a 300 word story about a lighthouse')],
      [user('What is Python?'), user('What are its main advantages?')],
      [user('Tell me a joke')],
    ];

    it.each(conversations)(
      'gives the same answer twice for %j',
      (...messages) => {
        expect(composeMockAnswer(messages)).toBe(composeMockAnswer(messages));
      },
    );

    it('uses neither randomness nor the clock', () => {
      const random = jest.spyOn(Math, 'random');
      const now = jest.spyOn(Date, 'now');
      try {
        for (const messages of conversations) {
          composeMockAnswer(messages);
        }
        expect(random).not.toHaveBeenCalled();
        expect(now).not.toHaveBeenCalled();
      } finally {
        random.mockRestore();
        now.mockRestore();
      }
    });
  });
});
