import { cutText } from './cut-text';

describe('cutText', () => {
  it('leaves text within the limit as it is', () => {
    expect(cutText('Paris', 5)).toBe('Paris');
    expect(cutText('', 0)).toBe('');
  });

  it('cuts at the limit in UTF-16 units', () => {
    expect(cutText('The capital', 3)).toBe('The');
  });

  it('leaves out a character whose surrogate pair the limit would split, and keeps one it does not', () => {
    expect(cutText('ab😀c', 3)).toBe('ab');
    expect(cutText('ab😀c', 4)).toBe('ab😀');
    expect(cutText('😀'.repeat(300), 201)).toBe('😀'.repeat(100));
    expect(cutText('😀'.repeat(300), 201).isWellFormed()).toBe(true);
  });
});
