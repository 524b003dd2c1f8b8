import type { JsonObject } from '@bufbuild/protobuf';
import { Injectable } from '@nestjs/common';
import { jsonbText, storableText } from '@shannon/db';
import { type EventLog, Prisma } from '../generated/prisma/client';
import { PrismaService } from '../prisma/prisma.service';

export type EventLogRow = EventLog;

export interface NewEventLogRow {
  taskId: string;
  seq: bigint;
  tenantId: string;
  type: string;
  agentId: string;
  message: string;
  payload: JsonObject;
  timestamp: Date;
}

@Injectable()
export class EventLogRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Inserts a batch in one statement sent with pg alone (one array per column: Prisma 6 compiles a
   * model query anew on every call, a cost that grows with the rows; docs/adr/0046); an event
   * already in the log (a redelivery) is skipped.
   */
  async insertMany(rows: NewEventLogRow[]): Promise<void> {
    const column = <T>(pick: (row: NewEventLogRow) => T) => rows.map(pick);
    await this.prisma.pg.execute(Prisma.sql`
      INSERT INTO streaming.event_log (task_id, seq, tenant_id, type, agent_id, message, payload, timestamp)
      SELECT * FROM unnest(
        ${column((row) => row.taskId)}::text[],
        ${column((row) => row.seq.toString())}::text[]::bigint[],
        ${column((row) => row.tenantId)}::text[]::uuid[],
        ${column((row) => row.type)}::text[],
        ${column((row) => row.agentId)}::text[],
        ${column((row) => storableText(row.message))}::text[],
        ${column((row) => jsonbText(row.payload))}::text[]::jsonb[],
        ${column((row) => row.timestamp.toISOString())}::text[]::timestamptz[]
      )
      ON CONFLICT (task_id, seq) DO NOTHING`);
  }

  async page(tenantId: string, taskId: string, limit: number, offset: number): Promise<{ rows: EventLogRow[]; count: number }> {
    const where = { tenantId, taskId };
    const [rows, count] = await Promise.all([
      this.prisma.eventLog.findMany({ where, orderBy: { seq: 'asc' }, skip: offset, take: limit }),
      this.prisma.eventLog.count({ where }),
    ]);
    return { rows, count };
  }

  /** Up to `limit` events of a task with seq > afterSeq, in seq order. */
  after(tenantId: string, taskId: string, afterSeq: bigint, limit: number): Promise<EventLogRow[]> {
    return this.prisma.eventLog.findMany({ where: { tenantId, taskId, seq: { gt: afterSeq } }, orderBy: { seq: 'asc' }, take: limit });
  }

  /**
   * The seq of the task's last logged event; undefined when none is logged. Asked by every
   * subscription to a task this process's memory cannot serve yet (most often one that has not
   * started), so sent with pg alone (docs/adr/0046).
   */
  async lastSeq(tenantId: string, taskId: string): Promise<bigint | undefined> {
    const [row] = await this.prisma.pg.rows<{ seq: string | null }>(
      Prisma.sql`SELECT max(seq)::text AS seq FROM streaming.event_log WHERE task_id = ${taskId}::text AND tenant_id = ${tenantId}::uuid`,
    );
    return row?.seq ? BigInt(row.seq) : undefined;
  }

  async streamEndSeq(tenantId: string, taskId: string): Promise<bigint | undefined> {
    const row = await this.prisma.eventLog.findFirst({ where: { tenantId, taskId, type: 'STREAM_END' }, select: { seq: true } });
    return row?.seq;
  }

  /** The events of a task with fromSeq <= seq <= toSeq, in seq order. */
  between(tenantId: string, taskId: string, fromSeq: bigint, toSeq: bigint): Promise<EventLogRow[]> {
    return this.prisma.eventLog.findMany({ where: { tenantId, taskId, seq: { gte: fromSeq, lte: toSeq } }, orderBy: { seq: 'asc' } });
  }
}
