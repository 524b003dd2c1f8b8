import { getPriority } from 'node:os';
import { lowerCpuPriority } from './cpu-priority';

describe(lowerCpuPriority.name, () => {
  it('lowers the priority of the process, and never raises it again', () => {
    const before = getPriority();
    const target = Math.min(19, before + 1);

    expect(lowerCpuPriority(target)).toBe(target);
    expect(lowerCpuPriority(before)).toBe(target);
    expect(getPriority()).toBe(target);
  });
});
