import { ulid } from 'ulid';

/**
 * A new task id, `task_<ULID>` (the task service's format). The gateway names the task before it
 * is submitted so the session can reserve the task's turn first (docs/adr/0041).
 */
export function newTaskId(): string {
  return `task_${ulid()}`;
}
