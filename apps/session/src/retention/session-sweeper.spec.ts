import type { SessionConfig } from '../config';
import type { SessionRepository } from '../sessions/session.repository';
import type { TaskOutcomeReader } from '../turns/task-outcome.reader';
import type { TurnRepository, TurnRow } from '../turns/turn.repository';
import { SessionRetention } from './session-retention';
import { SessionSweeper } from './session-sweeper';

const DAY = 24 * 60 * 60 * 1000;
const config = { SESSION_TTL_SECONDS: 30 * 24 * 60 * 60, SESSION_SWEEP_INTERVAL_MS: 60_000, SESSION_SWEEP_BATCH_SIZE: 2, SESSION_TURN_RESERVATION_MS: 120_000 } as SessionConfig;
const reservation = (taskId: string) => ({ taskId, tenantId: 't', userId: 'u' }) as TurnRow;

describe(SessionSweeper.name, () => {
  let sessions: { deleteExpired: jest.Mock };
  let turns: { staleReservations: jest.Mock; abandon: jest.Mock };
  let tasks: { read: jest.Mock };
  let sut: SessionSweeper;

  beforeEach(() => {
    sessions = { deleteExpired: jest.fn().mockResolvedValue(0) };
    turns = { staleReservations: jest.fn().mockResolvedValue([]), abandon: jest.fn().mockResolvedValue(true) };
    tasks = { read: jest.fn() };
    sut = new SessionSweeper(
      sessions as unknown as SessionRepository,
      turns as unknown as TurnRepository,
      tasks as unknown as TaskOutcomeReader,
      new SessionRetention(config),
      config,
    );
  });

  it('deletes expired sessions batch after batch until a batch comes back short', async () => {
    sessions.deleteExpired.mockResolvedValueOnce(2).mockResolvedValueOnce(2).mockResolvedValueOnce(1);
    const now = new Date('2026-11-24T10:00:00Z');

    const report = await sut.sweep(now);

    expect(report.expiredSessions).toBe(5);
    expect(sessions.deleteExpired).toHaveBeenCalledTimes(3);
    expect(sessions.deleteExpired).toHaveBeenCalledWith(new Date(now.getTime() - 30 * DAY), 2);
  });

  it('drops only the reservations whose task does not exist', async () => {
    turns.staleReservations.mockResolvedValue([reservation('task_gone'), reservation('task_queued')]);
    tasks.read.mockImplementation(async (_owner, taskId: string) => (taskId === 'task_gone' ? { kind: 'missing' } : { kind: 'unfinished' }));

    const report = await sut.sweep(new Date());

    expect(report.abandonedTurns).toBe(1);
    expect(turns.abandon).toHaveBeenCalledWith('t', 'task_gone');
    expect(turns.abandon).toHaveBeenCalledTimes(1);
  });

  it('keeps reservations while the task service cannot be asked, after still sweeping sessions', async () => {
    sessions.deleteExpired.mockResolvedValueOnce(1);
    turns.staleReservations.mockResolvedValue([reservation('task_a'), reservation('task_b')]);
    tasks.read.mockRejectedValue(new Error('connect ECONNREFUSED'));

    await expect(sut.sweep(new Date())).resolves.toEqual({ expiredSessions: 1, abandonedTurns: 0 });
    expect(tasks.read).toHaveBeenCalledTimes(1);
    expect(turns.abandon).not.toHaveBeenCalled();
  });
});
