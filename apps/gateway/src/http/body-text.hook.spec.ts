import { findIllFormedText } from './body-text.hook';

describe(findIllFormedText.name, () => {
  it('passes text PostgreSQL stores as it came: emoji (surrogate pairs), other control characters, any script', () => {
    expect(findIllFormedText({ query: 'Hi 😀 \t\u0001 déjà vu 東京', context: { '😀': ['\u{1F600}', 1, true, null], nested: { deep: 'ok' } } })).toBeUndefined();
  });

  it.each([
    [{ query: 'a\u0000b' }, 'query must not contain the NUL character'],
    [{ query: 'hi', context: { a: '\u0000' } }, 'context.a must not contain the NUL character'],
    [{ context: { items: ['ok', { 'a b': 'x\u0000' }] } }, 'context.items[1]["a b"] must not contain the NUL character'],
    [{ reason: 'x\u0000y' }, 'reason must not contain the NUL character'],
    [{ query: '\ud83d' }, 'query must be well-formed Unicode text'],
    [{ context: { a: 'x\ude00' } }, 'context.a must be well-formed Unicode text'],
    [{ description: '\ude00\ud83d' }, 'description must be well-formed Unicode text'],
    ['a\u0000', 'the request body must not contain the NUL character'],
  ])('names where a string cannot be stored: %j', (body, message) => {
    expect(findIllFormedText(body)).toBe(message);
  });

  it.each([
    [{ query: 'hi', context: { 'a\u0000': 'x' } }, 'a key of context must not contain the NUL character: "a\\u0000"'],
    [{ '\ud83d': 1 }, 'a key of the request body must be well-formed Unicode text: "\\ud83d"'],
  ])('names the object holding a key that cannot be stored, and the key, escaped: %j', (body, message) => {
    expect(findIllFormedText(body)).toBe(message);
  });

  it('shortens long keys in the path and in the message', () => {
    const long = 'k'.repeat(100);
    expect(findIllFormedText({ [long]: { [`${long}\u0000`]: 1 } })).toBe(`a key of ["${'k'.repeat(64)}…"] must not contain the NUL character: "${'k'.repeat(64)}…"`);
  });

  it('reports the first problem in document order', () => {
    expect(findIllFormedText({ a: ['ok', '\u0000'], b: '\u0000' })).toBe('a[1] must not contain the NUL character');
  });

  it('walks any depth without overflowing the stack', () => {
    let deep: unknown = 'x\u0000';
    for (let level = 0; level < 100_000; level++) {
      deep = [deep];
    }
    expect(findIllFormedText({ context: { k: deep } })).toMatch(/^context\.k(\[0\]){100000} must not contain the NUL character$/);
  });
});
