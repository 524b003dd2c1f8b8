import { Prisma } from '../generated/prisma/client';
import { type PgTaskRow, taskRowFromPg } from './task-row-columns';

describe(taskRowFromPg.name, () => {
  it('gives the numeric cost and the int8 seq pg reads as text the model’s Decimal and bigint', () => {
    const row = { id: 'task_1', estimatedCost: '0.00012345', lastSeq: '9007199254740993', inputTokens: 3 } as PgTaskRow;
    const task = taskRowFromPg(row);
    expect(task.estimatedCost).toEqual(new Prisma.Decimal('0.00012345'));
    expect(task.lastSeq).toBe(9007199254740993n);
    expect(task.inputTokens).toBe(3);
  });
});
