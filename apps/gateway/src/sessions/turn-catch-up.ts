import type { MessageInitShape } from '@bufbuild/protobuf';
import type { TaskCatchUpSchema, Turn } from '@shannon/contracts';
import { finishedMomentsAgo } from '../tasks/task-status';

/** Turns whose events one read of a session catches up at most (the streaming service's limit). */
export const MAX_TURN_CATCH_UPS = 16;

const FINAL_TURN_STATUSES: ReadonlySet<string> = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT']);

/**
 * The turns of a page whose events the event log may still lack: those not finished (as far as the
 * session knows) and those that finished moments ago, whose closing events are waited for (ADR 0050).
 * The newest first, at most MAX_TURN_CATCH_UPS.
 */
export function turnsToCatchUp(turns: Turn[], now: Date): MessageInitShape<typeof TaskCatchUpSchema>[] {
  return turns
    .filter((turn) => !FINAL_TURN_STATUSES.has(turn.status) || finishedMomentsAgo(turn.completedAt, now))
    .sort((a, b) => b.seq - a.seq)
    .slice(0, MAX_TURN_CATCH_UPS)
    .map((turn) => ({ taskId: turn.taskId, taskFinished: FINAL_TURN_STATUSES.has(turn.status) }));
}
