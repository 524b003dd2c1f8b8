import { getPriority, setPriority } from 'node:os';

/**
 * Lowers this process's CPU priority to `niceness` (a nice value, 0 to 19) and returns the one it
 * runs at. It never raises it: that needs privileges, and an operator who started the worker
 * lower meant it.
 */
export function lowerCpuPriority(niceness: number): number {
  if (niceness > getPriority()) {
    setPriority(niceness);
  }
  return getPriority();
}
