import { exceedsJsonDepth } from './max-json-depth.validator';

function nested(levels: number, kind: 'object' | 'array'): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < levels; level++) {
    value = kind === 'object' ? { a: value } : [value];
  }
  return value;
}

describe(exceedsJsonDepth.name, () => {
  it('counts objects and arrays, not scalars', () => {
    expect(exceedsJsonDepth('text', 0)).toBe(false);
    expect(exceedsJsonDepth(null, 0)).toBe(false);
    expect(exceedsJsonDepth({}, 0)).toBe(true);
    expect(exceedsJsonDepth({}, 1)).toBe(false);
    expect(exceedsJsonDepth({ a: [1, { b: 'x' }] }, 3)).toBe(false);
    expect(exceedsJsonDepth({ a: [1, { b: 'x' }] }, 2)).toBe(true);
  });

  it.each(['object', 'array'] as const)('allows exactly max levels of %s', (kind) => {
    expect(exceedsJsonDepth(nested(32, kind), 32)).toBe(false);
    expect(exceedsJsonDepth(nested(33, kind), 32)).toBe(true);
  });

  it('finds the deep branch among shallow ones', () => {
    expect(exceedsJsonDepth({ a: 1, b: [2, 3], c: { d: nested(10, 'array') } }, 11)).toBe(true);
  });

  it('answers for any depth without overflowing the stack', () => {
    expect(exceedsJsonDepth(nested(200_000, 'array'), 32)).toBe(true);
  });
});
