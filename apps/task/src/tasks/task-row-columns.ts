import { columnList } from '@shannon/db';
import { Prisma } from '../generated/prisma/client';
import type { TaskRow } from './task.repository';

/** Every column of task.tasks under its TaskRow field name (the compiler checks none is missing). */
const COLUMNS: Record<keyof TaskRow, string> = {
  id: 'id',
  tenantId: 'tenant_id',
  userId: 'user_id',
  sessionId: 'session_id',
  clientSessionId: 'client_session_id',
  query: 'query',
  mode: 'mode',
  modelTier: 'model_tier',
  context: 'context',
  status: 'status',
  result: 'result',
  error: 'error',
  modelUsed: 'model_used',
  provider: 'provider',
  inputTokens: 'input_tokens',
  outputTokens: 'output_tokens',
  estimatedCost: 'estimated_cost',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  startedAt: 'started_at',
  completedAt: 'completed_at',
  attempts: 'attempts',
  leaseOwner: 'lease_owner',
  leaseUntil: 'lease_until',
  timeoutSeconds: 'timeout_seconds',
  deadlineAt: 'deadline_at',
  lastSeq: 'last_seq',
  budgetWarned: 'budget_warned',
  pauseRequested: 'pause_requested',
  pausedAt: 'paused_at',
  pauseReason: 'pause_reason',
  pausedBy: 'paused_by',
  cancelRequestedAt: 'cancel_requested_at',
  cancelReason: 'cancel_reason',
  cancelledBy: 'cancelled_by',
  traceId: 'trace_id',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
};

/**
 * `RETURNING` / `SELECT` list that gives a raw statement's rows the shape of TaskRow, so a statement
 * that changes a task can hand back the row it wrote without a second read.
 */
export const TASK_ROW = Prisma.raw(columnList(COLUMNS));

/** A TASK_ROW row as pg reads it (docs/adr/0046): int8 and numeric come as their text. */
export type PgTaskRow = Omit<TaskRow, 'estimatedCost' | 'lastSeq'> & { estimatedCost: string; lastSeq: string };

/** The TaskRow of a row read with pg alone: the same columns, with the model's Decimal and bigint. */
export function taskRowFromPg(row: PgTaskRow): TaskRow {
  return { ...row, estimatedCost: new Prisma.Decimal(row.estimatedCost), lastSeq: BigInt(row.lastSeq) };
}
