import { randomFillSync } from 'node:crypto';
import { ulid } from 'ulid';

const TASK_ID_PATTERN = /^task_[0-9A-HJKMNP-TV-Z]{26}$/;
/** Random bytes drawn from the OS at a time: ulid asks for one per character of an id. */
const POOL_BYTES = 4096;

let pool = new Uint8Array(0);
let next = 0;

/** A random fraction in [0, 1) from pooled CSPRNG bytes (ulid's own source makes a crypto call per character). */
function pooledRandom(): number {
  if (next >= pool.length) {
    pool = randomFillSync(new Uint8Array(POOL_BYTES));
    next = 0;
  }
  return pool[next++] / 256;
}

/**
 * A new task id, `task_<ULID>`: sortable by creation time and free of collisions. The gateway
 * names a task before it is submitted, so that the session reserves its turn first (docs/adr/0041);
 * the task service names one submitted without.
 */
export function newTaskId(): string {
  return `task_${ulid(undefined, pooledRandom)}`;
}

/** Whether a caller-chosen id has the task id shape. */
export function isTaskId(value: string): boolean {
  return TASK_ID_PATTERN.test(value);
}
