/** A turn mirrors its task's status. */
export type TurnStatus = 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TIMEOUT';

/** A turn is open (the next one waits for it) while its task is queued or running and nothing interrupted it. */
export const OPEN_TURN_STATUSES: readonly TurnStatus[] = ['QUEUED', 'RUNNING'];

export type FinalTurnStatus = Exclude<TurnStatus, 'QUEUED' | 'RUNNING'>;
