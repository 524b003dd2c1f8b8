import { shorten } from './cut-text';

describe(shorten.name, () => {
  it('keeps text that fits as it is', () => {
    expect(shorten('Paris', 5)).toBe('Paris');
  });

  it('cuts longer text to the limit, the ellipsis included', () => {
    expect(shorten('Amsterdam', 5)).toBe('Amst…');
  });

  it('counts an emoji as one character and never splits it', () => {
    const sut = shorten('ab' + '😀'.repeat(10), 5);

    expect(sut).toBe('ab😀😀…');
    expect(sut.isWellFormed()).toBe(true);
  });

  it('keeps 150 emoji under a limit of 200 characters whole (300 UTF-16 units)', () => {
    const emoji = '😀'.repeat(150);

    expect(shorten(emoji, 200)).toBe(emoji);
  });
});
