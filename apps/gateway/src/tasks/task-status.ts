import { TaskStatus } from '@shannon/contracts';

const FINISHED: ReadonlySet<TaskStatus> = new Set([TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED, TaskStatus.TIMEOUT]);

/** A final status: the task runs no more (its closing events and STREAM_END are published just after it is written). */
export function isFinishedStatus(status: TaskStatus): boolean {
  return FINISHED.has(status);
}
