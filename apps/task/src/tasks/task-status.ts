import { TaskStatus } from '@shannon/contracts';

/** Statuses as stored in the tasks table. */
export type StoredTaskStatus = 'QUEUED' | 'RUNNING' | 'PAUSED' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TIMEOUT';

export const TERMINAL_STATUSES: ReadonlySet<StoredTaskStatus> = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT']);

export function toProtoStatus(status: string): TaskStatus {
  switch (status as StoredTaskStatus) {
    case 'QUEUED':
      return TaskStatus.QUEUED;
    case 'RUNNING':
      return TaskStatus.RUNNING;
    case 'PAUSED':
      return TaskStatus.PAUSED;
    case 'COMPLETED':
      return TaskStatus.COMPLETED;
    case 'FAILED':
      return TaskStatus.FAILED;
    case 'CANCELLED':
      return TaskStatus.CANCELLED;
    case 'TIMEOUT':
      return TaskStatus.TIMEOUT;
    default:
      return TaskStatus.UNSPECIFIED;
  }
}

export function fromProtoStatus(status: TaskStatus): StoredTaskStatus | undefined {
  switch (status) {
    case TaskStatus.QUEUED:
      return 'QUEUED';
    case TaskStatus.RUNNING:
      return 'RUNNING';
    case TaskStatus.PAUSED:
      return 'PAUSED';
    case TaskStatus.COMPLETED:
      return 'COMPLETED';
    case TaskStatus.FAILED:
      return 'FAILED';
    case TaskStatus.CANCELLED:
      return 'CANCELLED';
    case TaskStatus.TIMEOUT:
      return 'TIMEOUT';
    case TaskStatus.UNSPECIFIED:
      return undefined;
  }
}
