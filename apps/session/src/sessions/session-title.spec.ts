import { characterCount, normalizeTitle, titleFromQuery } from './session-title';

describe(normalizeTitle.name, () => {
  it.each([
    ['  Trip to Paris  ', 'Trip to Paris'],
    ['line\nbreak\ttab', 'line break tab'],
    ['zero\u200Bwidth\uFEFF', 'zerowidth'],
    ['🐍'.repeat(60), '🐍'.repeat(60)],
    ['x'.repeat(60), 'x'.repeat(60)],
  ])('keeps %j as %j', (raw, title) => {
    expect(normalizeTitle(raw)).toBe(title);
  });

  it.each([
    ['', 'Title cannot be empty'],
    ['   \n ', 'Title cannot be empty'],
    ['\u0001\u0002', 'Title cannot contain only control characters'],
    ['\u200B\uFEFF', 'Title cannot contain only control characters'],
    ['x'.repeat(61), 'Title must be 60 characters or less'],
    [` ${'é'.repeat(61)} `, 'Title must be 60 characters or less'],
  ])('refuses %j: %s', (raw, message) => {
    expect(() => normalizeTitle(raw)).toThrow(message);
  });
});

describe(titleFromQuery.name, () => {
  it('uses a short query as it is', () => {
    expect(titleFromQuery('  What is   Python? ')).toBe('What is Python?');
  });

  it('cuts a long query at a word, within 60 characters', () => {
    const title = titleFromQuery('Explain in detail how the Python garbage collector handles reference cycles in long-running servers');
    expect(characterCount(title)).toBeLessThanOrEqual(60);
    expect(title).toBe('Explain in detail how the Python garbage collector handles…');
  });
});
