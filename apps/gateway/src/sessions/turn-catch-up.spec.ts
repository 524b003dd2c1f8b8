import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { MAX_CATCH_UPS_PER_CALL, TurnSchema } from '@shannon/contracts';
import { CLOSING_EVENTS_WINDOW_MS } from '../tasks/task-status';
import { turnsToCatchUp } from './turn-catch-up';

const now = new Date('2026-11-25T12:00:00Z');
const turn = (seq: number, status: string, completedMsAgo?: number) =>
  create(TurnSchema, {
    taskId: `task_${seq}`,
    seq,
    status,
    completedAt: completedMsAgo === undefined ? undefined : timestampFromDate(new Date(now.getTime() - completedMsAgo)),
  });

describe('turnsToCatchUp', () => {
  it('names the turns still open and those that finished moments ago (their closing events awaited), newest first; not the older ones', () => {
    const turns = [
      turn(1, 'COMPLETED', CLOSING_EVENTS_WINDOW_MS + 1),
      turn(2, 'FAILED', 10_000),
      turn(3, 'CANCELLED', CLOSING_EVENTS_WINDOW_MS - 1),
      turn(4, 'RUNNING'),
      turn(5, 'QUEUED'),
      turn(6, 'TIMEOUT', 24 * 3600_000),
    ];

    expect(turnsToCatchUp(turns, now)).toEqual([
      { taskId: 'task_5', taskFinished: false },
      { taskId: 'task_4', taskFinished: false },
      { taskId: 'task_3', taskFinished: true },
      { taskId: 'task_2', taskFinished: true },
    ]);
  });

  it('names at most the newest MAX_CATCH_UPS_PER_CALL', () => {
    const turns = Array.from({ length: 40 }, (_, i) => turn(i + 1, 'QUEUED'));

    const named = turnsToCatchUp(turns, now);

    expect(named).toHaveLength(MAX_CATCH_UPS_PER_CALL);
    expect(named[0].taskId).toBe('task_40');
  });
});
