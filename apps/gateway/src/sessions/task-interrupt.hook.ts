import { Injectable, Logger } from '@nestjs/common';
import { identityHeaders, type Principal } from '@shannon/auth';
import { ErrorCode } from '@shannon/errors';
import { describeRemoteError } from '@shannon/grpc';
import { InternalClients } from '../clients/internal-clients';

/**
 * Where `session_concurrency: "interrupt"` stops the tasks it interrupted. By the time this runs
 * the session service has closed their turns (the new task does not wait for them and their
 * answers never enter the conversation); this cancels their work through the task runtime, which
 * aborts the in-flight model call. A task that finished meanwhile is left as it is.
 */
@Injectable()
export class TaskInterruptHook {
  private readonly logger = new Logger(TaskInterruptHook.name);

  constructor(private readonly clients: InternalClients) {}

  async interrupt(principal: Principal, taskIds: string[]): Promise<void> {
    const headers = identityHeaders(principal);
    await Promise.all(
      taskIds.map(async (taskId) => {
        try {
          await this.clients.task.cancelTask({ taskId, reason: 'Interrupted by a newer turn of its session' }, { headers });
        } catch (error) {
          const remote = describeRemoteError(error);
          if (remote.code !== ErrorCode.FailedPrecondition && remote.code !== ErrorCode.Conflict) {
            this.logger.warn({ taskId, err: error }, 'Could not cancel an interrupted task');
          }
        }
      }),
    );
  }
}
