import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service';
import type { EventLogRow } from './event-log.repository';

/** Reads the logged events of several tasks of one tenant at once (a session's turns). */
@Injectable()
export class EventLogBatchReader {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Every logged event of the given tasks, grouped by task in seq order, unless there are more than
   * `maxEvents`: then no rows, only the count, so the caller can ask for fewer tasks.
   */
  async forTasks(tenantId: string, taskIds: string[], maxEvents: number, withPayload: boolean): Promise<{ rows: EventLogRow[]; count: number }> {
    if (taskIds.length === 0) {
      return { rows: [], count: 0 };
    }
    const where = { tenantId, taskId: { in: taskIds } };
    const count = await this.prisma.eventLog.count({ where });
    if (count > maxEvents) {
      return { rows: [], count };
    }
    const rows = await this.prisma.eventLog.findMany({
      where,
      orderBy: [{ taskId: 'asc' }, { seq: 'asc' }],
      omit: withPayload ? undefined : { payload: true },
    });
    return { rows: rows.map((row) => ({ payload: {}, ...row })), count };
  }
}
