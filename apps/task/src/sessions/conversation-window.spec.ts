import { conversationWindow } from './conversation-window';

const words = (n: number, word = 'river') => Array.from({ length: n }, () => word).join(' ');
/** One token per word keeps the arithmetic readable. */
const perWord = (text: string) => (text ? text.split(/\s+/).filter(Boolean).length : 0);

describe(conversationWindow.name, () => {
  const exchanges = [
    { query: 'What is Python?', answer: 'Python is a language.' },
    { query: 'What is Rust?', answer: 'Rust is a language.' },
    { query: 'What is Go?', answer: 'Go is a language.' },
  ];

  it('turns every exchange into a user and an assistant message, oldest first, when all fit', () => {
    expect(conversationWindow(exchanges, { maxTurns: 10, maxTokens: 1000 }, perWord)).toEqual([
      { role: 'user', content: 'What is Python?' },
      { role: 'assistant', content: 'Python is a language.' },
      { role: 'user', content: 'What is Rust?' },
      { role: 'assistant', content: 'Rust is a language.' },
      { role: 'user', content: 'What is Go?' },
      { role: 'assistant', content: 'Go is a language.' },
    ]);
  });

  it('keeps the newest exchanges within the turn limit', () => {
    expect(conversationWindow(exchanges, { maxTurns: 2, maxTokens: 1000 }, perWord).map((m) => m.content)).toEqual([
      'What is Rust?',
      'Rust is a language.',
      'What is Go?',
      'Go is a language.',
    ]);
    expect(conversationWindow(exchanges, { maxTurns: 0, maxTokens: 1000 }, perWord)).toEqual([]);
  });

  it('keeps the newest exchanges within the token limit, without gaps', () => {
    // Each exchange costs 3 + 4 = 7 tokens.
    expect(conversationWindow(exchanges, { maxTurns: 10, maxTokens: 14 }, perWord).map((m) => m.content)).toEqual([
      'What is Rust?',
      'Rust is a language.',
      'What is Go?',
      'Go is a language.',
    ]);
    const withLongMiddle = [exchanges[0], { query: 'Essay please', answer: words(100) }, exchanges[2]];
    expect(conversationWindow(withLongMiddle, { maxTurns: 10, maxTokens: 50 }, perWord).map((m) => m.content)).toEqual(['What is Go?', 'Go is a language.']);
  });

  it('cuts the answer of the latest exchange when even it does not fit, keeping the question', () => {
    const window = conversationWindow([{ query: 'Write an essay', answer: words(100) }], { maxTurns: 10, maxTokens: 20 }, perWord);
    expect(window[0]).toEqual({ role: 'user', content: 'Write an essay' });
    expect(window[1].content).toBe(`${words(16)} […]`);
    expect(perWord(window[0].content) + perWord(window[1].content)).toBeLessThanOrEqual(20);
  });

  it('leaves out an exchange whose question alone is over the limit', () => {
    expect(conversationWindow([{ query: words(30), answer: 'ok' }], { maxTurns: 10, maxTokens: 20 }, perWord)).toEqual([]);
  });

  it('counts tokens with the shared estimate by default (4 characters a token)', () => {
    const window = conversationWindow([{ query: 'q'.repeat(40), answer: 'a'.repeat(400) }], { maxTurns: 1, maxTokens: 30 });
    expect(window[1].content.length).toBeLessThan(100);
    expect(window[1].content.endsWith('[…]')).toBe(true);
  });
});
