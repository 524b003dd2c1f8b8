import { RingBuffer } from './ring-buffer';

describe(RingBuffer.name, () => {
  it('keeps the most recent items at their absolute positions', () => {
    const sut = new RingBuffer<string>(3);
    expect(['a', 'b', 'c'].map((item) => sut.push(item))).toEqual([undefined, undefined, undefined]);

    expect(sut.push('d')).toBe('a');

    expect([sut.first, sut.end, sut.size]).toEqual([1, 4, 3]);
    expect([0, 1, 2, 3, 4].map((position) => sut.at(position))).toEqual([undefined, 'b', 'c', 'd', undefined]);
  });

  it('finds the first position whose item satisfies an ordered predicate', () => {
    const sut = new RingBuffer<number>(4);
    [10, 20, 30, 40, 50, 60].forEach((n) => sut.push(n));

    expect(sut.findFirst((n) => n > 35)).toBe(3);
    expect(sut.findFirst((n) => n > 0)).toBe(2);
    expect(sut.findFirst((n) => n > 60)).toBe(6);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});
