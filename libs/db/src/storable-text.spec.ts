import { jsonbText, storableText } from './storable-text';

describe(jsonbText.name, () => {
  it('is JSON.stringify for well-formed text, emoji included', () => {
    const value = { answer: 'ab😀', list: ['x', 1, true, null], nested: { 'k😀': 'v' } };

    expect(jsonbText(value)).toBe(JSON.stringify(value));
  });

  it('replaces a lone surrogate by U+FFFD instead of the \\ud83d escape jsonb refuses', () => {
    const sut = jsonbText({ text: 'ab😀'.slice(0, 3), tokens: ['\ud83d', '\ude00x'] });

    expect(sut).toBe('{"text":"ab\ufffd","tokens":["\ufffd","\ufffdx"]}');
    expect(sut).not.toMatch(/\\u/);
  });

  it('makes object keys well-formed too', () => {
    expect(JSON.parse(jsonbText({ outer: { ['k\ud83d']: 1, ok: 2 } }))).toEqual({ outer: { 'k\ufffd': 1, ok: 2 } });
  });

  it('keeps a literal backslash-u text as it is', () => {
    const value = { path: '\\ud83d is not a surrogate' };

    expect(JSON.parse(jsonbText(value))).toEqual(value);
  });

  it('keeps what toJSON gives (a Date as its ISO text)', () => {
    const at = new Date('2026-01-02T03:04:05.000Z');

    expect(jsonbText({ at, note: '\ud83d' })).toBe('{"at":"2026-01-02T03:04:05.000Z","note":"\ufffd"}');
  });
});

describe(storableText.name, () => {
  it('leaves storable text as it is', () => {
    expect(storableText('Paris 😀')).toBe('Paris 😀');
  });

  it('replaces NUL and lone surrogates by U+FFFD', () => {
    expect(storableText('a\u0000b\ud83d')).toBe('a\ufffdb\ufffd');
  });
});

describe(`${jsonbText.name} with NUL`, () => {
  it('replaces NUL in strings and keys by U+FFFD instead of the \\u0000 escape jsonb refuses', () => {
    const sut = jsonbText({ text: 'a\u0000b', ['k\u0000']: ['\u0000'] });

    expect(sut).not.toMatch(/\\u0000/);
    expect(JSON.parse(sut)).toEqual({ text: 'a\ufffdb', 'k\ufffd': ['\ufffd'] });
  });
});
