import { ulid } from 'ulid';

/** Task ids are `task_<ULID>`: sortable by creation time and free of collisions. */
export function newTaskId(): string {
  return `task_${ulid()}`;
}

const TASK_ID_PATTERN = /^task_[0-9A-HJKMNP-TV-Z]{26}$/;

/** Whether a caller-chosen id (reserved by the gateway with the session turn) has the task id shape. */
export function isTaskId(value: string): boolean {
  return TASK_ID_PATTERN.test(value);
}
