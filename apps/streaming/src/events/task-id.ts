import { CLIENT_ID_REGEX } from '@shannon/contracts';
import { ValidationError } from '@shannon/errors';

/** A task id goes into NATS subjects: anything but the id shape (no spaces, no wildcards) is refused. */
export function assertTaskId(taskId: string): void {
  if (!CLIENT_ID_REGEX.test(taskId)) {
    throw new ValidationError('task_id must match ^[A-Za-z0-9:_\\-.]{1,128}$');
  }
}
