import { jsonbText } from './jsonb-text';

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
