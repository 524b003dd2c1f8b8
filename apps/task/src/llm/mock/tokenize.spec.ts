import { countTokens, tokenize } from './tokenize';

describe(tokenize.name, () => {
  it.each([
    'The capital of France is Paris.',
    '  leading and trailing whitespace  ',
    'Line one\n\nLine two\tTabbed',
    'Python\'s main advantages: speed, {"json":true} — and émojis 🚀!',
    '   ',
    '',
  ])('round-trips %j exactly', (text) => {
    expect(tokenize(text).join('')).toBe(text);
  });

  it('keeps the leading whitespace on each word and splits punctuation off', () => {
    const sut = tokenize('Hello, big world.');

    expect(sut).toEqual(['Hello', ',', ' big', ' world', '.']);
  });

  it('keeps words with inner apostrophes together', () => {
    expect(tokenize("Python's it's")).toEqual(["Python's", " it's"]);
  });

  it('never splits an emoji between two tokens', () => {
    const text = `ab${'😀'.repeat(5)} 👍🏽 x👨‍👩‍👧`;

    const sut = tokenize(text);

    expect(sut.join('')).toBe(text);
    expect(sut.every((token) => token.isWellFormed())).toBe(true);
  });

  it('returns no tokens for empty text', () => {
    expect(tokenize('')).toEqual([]);
  });
});

describe(countTokens.name, () => {
  it.each([
    ['', 0],
    ['a', 1],
    ['abcd', 1],
    ['abcde', 2],
    ['x'.repeat(400), 100],
  ])('estimates %j as %i tokens', (text, expected) => {
    expect(countTokens(text)).toBe(expected);
  });
});
