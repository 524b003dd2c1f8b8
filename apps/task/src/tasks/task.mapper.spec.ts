import { Prisma } from '../generated/prisma/client';
import { toTaskMessage } from './task.mapper';
import type { TaskRow } from './task.repository';

describe(toTaskMessage.name, () => {
  const pause = { pauseRequested: true, pausedAt: new Date('2026-11-24T09:00:00Z'), pauseReason: 'lunch', pausedBy: '22222222-2222-4222-8222-222222222222' };
  const row = (fields: Partial<TaskRow>) =>
    ({ id: 'task_1', context: {}, estimatedCost: new Prisma.Decimal(0), inputTokens: 0, outputTokens: 0, createdAt: new Date(), updatedAt: new Date(), cancelRequestedAt: null, ...fields }) as TaskRow;

  it('says paused, with the pause, while the status is PAUSED (a pause not held yet included)', () => {
    const control = toTaskMessage(row({ status: 'PAUSED', ...pause })).control;
    expect(control).toMatchObject({ isPaused: true, pauseReason: 'lunch', pausedBy: pause.pausedBy });
    expect(control?.pausedAt).toBeDefined();
  });

  it('says not paused, and no pause, once the task ended before the pause held', () => {
    const control = toTaskMessage(row({ status: 'COMPLETED', ...pause })).control;
    expect(control).toMatchObject({ isPaused: false, pausedAt: undefined, pauseReason: '', pausedBy: '' });
  });
});
