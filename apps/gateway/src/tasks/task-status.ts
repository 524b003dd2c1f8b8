import { type Timestamp, timestampDate } from '@bufbuild/protobuf/wkt';
import { type Task, TaskStatus } from '@shannon/contracts';

const FINISHED: ReadonlySet<TaskStatus> = new Set([TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED, TaskStatus.TIMEOUT]);

/** A final status: the task runs no more (its closing events and STREAM_END are published just after it is written). */
export function isFinishedStatus(status: TaskStatus): boolean {
  return FINISHED.has(status);
}

/** The same for a status by name (`COMPLETED`, as a session's turn carries it); an unknown name is not final. */
export function isFinishedStatusName(name: string): boolean {
  return isFinishedStatus(TaskStatus[name as keyof typeof TaskStatus]);
}

/**
 * How long after a task's final status a history read waits for its closing events (through
 * STREAM_END). The worker publishes them right after writing the status; a task that finished
 * longer ago and has none never will (the bus was down then), and its history is what was logged.
 */
export const CLOSING_EVENTS_WINDOW_MS = 60_000;

/** A task that finished moments ago: its closing events may still be on their way (ADR 0050). */
export function isJustFinished(task: Task, now: Date): boolean {
  return isFinishedStatus(task.status) && finishedMomentsAgo(task.completedAt, now);
}

/** Whether a finished task's completion time (none known: assumed recent) is within CLOSING_EVENTS_WINDOW_MS. */
export function finishedMomentsAgo(completedAt: Timestamp | undefined, now: Date): boolean {
  return !completedAt || now.getTime() - timestampDate(completedAt).getTime() < CLOSING_EVENTS_WINDOW_MS;
}
