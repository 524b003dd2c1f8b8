import { columnList } from '@shannon/db';
import { Prisma, type Session, type Turn } from '../generated/prisma/client';

/** Every column of session.sessions under its Session field name (the compiler checks none is missing). */
const SESSION_COLUMNS: Record<keyof Session, string> = {
  id: 'id',
  tenantId: 'tenant_id',
  userId: 'user_id',
  externalId: 'external_id',
  title: 'title',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  lastActivityAt: 'last_activity_at',
  deletedAt: 'deleted_at',
  deletedBy: 'deleted_by',
  deletedExternalId: 'deleted_external_id',
};

/** Every column of session.turns under its Turn field name. */
const TURN_COLUMNS: Record<keyof Turn, string> = {
  taskId: 'task_id',
  sessionId: 'session_id',
  tenantId: 'tenant_id',
  userId: 'user_id',
  seq: 'seq',
  query: 'query',
  mode: 'mode',
  status: 'status',
  result: 'result',
  error: 'error',
  inputTokens: 'input_tokens',
  outputTokens: 'output_tokens',
  costUsd: 'cost_usd',
  interruptedBy: 'interrupted_by',
  createdAt: 'created_at',
  startedAt: 'started_at',
  completedAt: 'completed_at',
};

/** `SELECT` / `RETURNING` lists that give raw statements' rows the Session and Turn shapes. */
export const SESSION_ROW = Prisma.raw(columnList(SESSION_COLUMNS));
export const TURN_ROW = Prisma.raw(columnList(TURN_COLUMNS));
