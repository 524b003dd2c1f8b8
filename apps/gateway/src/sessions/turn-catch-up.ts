import type { MessageInitShape } from '@bufbuild/protobuf';
import { MAX_CATCH_UPS_PER_CALL, type TaskCatchUpSchema, type Turn } from '@shannon/contracts';
import { finishedMomentsAgo, isFinishedStatusName } from '../tasks/task-status';

/**
 * The turns of a page whose events the event log may still lack: those not finished (as far as the
 * session knows) and those that finished moments ago, whose closing events are waited for (ADR 0050).
 * The newest first, at most MAX_CATCH_UPS_PER_CALL (the streaming service's limit).
 */
export function turnsToCatchUp(turns: Turn[], now: Date): MessageInitShape<typeof TaskCatchUpSchema>[] {
  return turns
    .map((turn) => ({ turn, finished: isFinishedStatusName(turn.status) }))
    .filter(({ turn, finished }) => !finished || finishedMomentsAgo(turn.completedAt, now))
    .sort((a, b) => b.turn.seq - a.turn.seq)
    .slice(0, MAX_CATCH_UPS_PER_CALL)
    .map(({ turn, finished }) => ({ taskId: turn.taskId, taskFinished: finished }));
}
