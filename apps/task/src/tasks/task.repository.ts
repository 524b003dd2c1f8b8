import { Injectable } from '@nestjs/common';
import type { CallerIdentity } from '@shannon/auth';
import { jsonbText } from '@shannon/db';
import { Prisma, type Task } from '../generated/prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import type { TaskInput } from './task-input';
import { type PgTaskRow, TASK_ROW, taskRowFromPg } from './task-row-columns';
import type { StoredTaskStatus } from './task-status';

export type TaskRow = Task;

export interface OutboxEntry {
  subject: string;
  msgId: string;
  payload: Uint8Array;
  /** NATS headers to publish with (the trace context). */
  headers?: Record<string, string>;
}

/** The trace context a task was submitted with, kept on the row. */
export interface TaskTrace {
  traceId: string;
  traceparent: string;
  tracestate?: string;
}

export interface IdempotencyClaim {
  key: string;
  requestHash: string;
  ttlSeconds: number;
}

export type IdempotentCreation =
  | { kind: 'created'; task: TaskRow }
  /** The key was used before with the same request: the task created then. */
  | { kind: 'replayed'; task: TaskRow }
  /** The key was used before with another request. */
  | { kind: 'conflict' };

/** Tokens recorded on a set of tasks. */
export interface TokenUsage {
  inputTokens: bigint;
  outputTokens: bigint;
}

export interface TaskListFilter {
  limit: number;
  offset: number;
  status?: StoredTaskStatus;
  sessionId?: string;
}

/** A task as submitted: queued, nothing run, nothing used. */
function newTaskRow(id: string, owner: CallerIdentity, input: TaskInput, at: Date, trace?: TaskTrace): TaskRow {
  return {
    id,
    tenantId: owner.tenantId,
    userId: owner.userId,
    sessionId: input.sessionId,
    clientSessionId: input.clientSessionId,
    query: input.query,
    mode: input.mode,
    modelTier: input.modelTier,
    context: input.context as Prisma.JsonObject,
    status: 'QUEUED',
    result: null,
    error: null,
    modelUsed: null,
    provider: null,
    inputTokens: 0,
    outputTokens: 0,
    estimatedCost: new Prisma.Decimal(0),
    createdAt: at,
    updatedAt: at,
    startedAt: null,
    completedAt: null,
    attempts: 0,
    leaseOwner: null,
    leaseUntil: null,
    deadlineAt: null,
    timeoutSeconds: input.timeoutSeconds ?? null,
    lastSeq: 0n,
    budgetWarned: false,
    pauseRequested: false,
    pausedAt: null,
    pauseReason: null,
    pausedBy: null,
    cancelRequestedAt: null,
    cancelReason: null,
    cancelledBy: null,
    traceId: trace?.traceId ?? null,
    traceparent: trace?.traceparent ?? null,
    tracestate: trace?.tracestate ?? null,
  };
}

@Injectable()
export class TaskRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The task row and the message that announces it (if any) in one statement: one round trip, atomic. */
  async create(id: string, owner: CallerIdentity, input: TaskInput, outbox: OutboxEntry | undefined, trace?: TaskTrace): Promise<TaskRow> {
    const task = newTaskRow(id, owner, input, new Date(), trace);
    await this.prisma.pg.execute(this.insertTask(task, outbox, Prisma.sql`SELECT ${task.id}::text`));
    return task;
  }

  /**
   * Claims the idempotency key and creates the task with its outbox message. A key not in use (or
   * expired) is claimed and the task created in one statement. Otherwise the first use's task is
   * read: a concurrent claim of the same key waits on the row lock until the first commits, then
   * finds the first task; an expired key is taken over by the new task.
   */
  async createIdempotent(
    id: string,
    owner: CallerIdentity,
    input: TaskInput,
    outbox: OutboxEntry | undefined,
    claim: IdempotencyClaim,
    trace?: TaskTrace,
  ): Promise<IdempotentCreation> {
    const task = newTaskRow(id, owner, input, new Date(), trace);
    const claimKey = Prisma.sql`
      INSERT INTO task.idempotency_keys (tenant_id, user_id, idempotency_key, request_hash, task_id, expires_at)
      VALUES (${owner.tenantId}::uuid, ${owner.userId}::uuid, ${claim.key}, ${claim.requestHash}, ${id}, now() + make_interval(secs => ${claim.ttlSeconds}))
      ON CONFLICT (tenant_id, user_id, idempotency_key) DO UPDATE
        SET request_hash = EXCLUDED.request_hash, task_id = EXCLUDED.task_id, created_at = now(), expires_at = EXCLUDED.expires_at
        WHERE task.idempotency_keys.expires_at <= now()
      RETURNING task_id`;
    const created = await this.prisma.pg.execute(this.insertTask(task, outbox, Prisma.sql`SELECT task_id FROM claimed`, claimKey));
    if (created === 1) {
      return { kind: 'created', task };
    }
    const existing = await this.prisma.idempotencyKey.findUniqueOrThrow({
      where: { tenantId_userId_idempotencyKey: { tenantId: owner.tenantId, userId: owner.userId, idempotencyKey: claim.key } },
    });
    if (existing.requestHash !== claim.requestHash) {
      return { kind: 'conflict' };
    }
    return { kind: 'replayed', task: await this.prisma.task.findUniqueOrThrow({ where: { id: existing.taskId } }) };
  }

  /** Forgets idempotency keys past their time to live; resolves how many. */
  async purgeExpiredIdempotencyKeys(): Promise<number> {
    const { count } = await this.prisma.idempotencyKey.deleteMany({ where: { expiresAt: { lte: new Date() } } });
    return count;
  }

  /**
   * The statement that stores a new task and its outbox message (if any), for each id `source`
   * selects (one, or none: then nothing is written and it counts 0). Every column is written here,
   * so the row in memory is the row stored. `claimed`, when given, is a statement named `claimed`
   * in the same WITH that `source` may read.
   */
  private insertTask(task: TaskRow, outbox: OutboxEntry | undefined, source: Prisma.Sql, claimed?: Prisma.Sql): Prisma.Sql {
    const before = claimed ? Prisma.sql`claimed AS (${claimed}), ` : Prisma.empty;
    const context = jsonbText(task.context);
    const insertTask = Prisma.sql`
      INSERT INTO task.tasks (id, tenant_id, user_id, session_id, client_session_id, query, mode, model_tier, context, timeout_seconds, status, created_at, updated_at, trace_id, traceparent, tracestate)
      SELECT id, ${task.tenantId}::uuid, ${task.userId}::uuid, ${task.sessionId}::uuid, ${task.clientSessionId}::text, ${task.query}::text, ${task.mode}::text, ${task.modelTier}::text, ${context}::jsonb,
        ${task.timeoutSeconds}::integer, ${task.status}::text, ${task.createdAt}::timestamptz, ${task.updatedAt}::timestamptz, ${task.traceId}::text, ${task.traceparent}::text, ${task.tracestate}::text
      FROM (${source}) AS new_task (id)
      RETURNING id`;
    if (!outbox) {
      return Prisma.sql`WITH ${before}created AS (${insertTask}) SELECT id FROM created`;
    }
    const headers = outbox.headers ? jsonbText(outbox.headers) : null;
    return Prisma.sql`
      WITH ${before}created AS (${insertTask})
      INSERT INTO task.outbox (task_id, subject, msg_id, payload, headers, created_at)
      SELECT id, ${outbox.subject}::text, ${outbox.msgId}::text, ${Buffer.from(outbox.payload)}::bytea, ${headers}::jsonb, ${task.createdAt}::timestamptz FROM created`;
  }

  /** The tenant's task. */
  findForTenant(tenantId: string, id: string): Promise<TaskRow | null> {
    return this.readTask(Prisma.sql`id = ${id}::text AND tenant_id = ${tenantId}::uuid`);
  }

  findById(id: string): Promise<TaskRow | null> {
    return this.readTask(Prisma.sql`id = ${id}::text`);
  }

  /** The task `condition` selects, read with pg alone: these reads are on every task's path (docs/adr/0046). */
  private async readTask(condition: Prisma.Sql): Promise<TaskRow | null> {
    const [row] = await this.prisma.pg.rows<PgTaskRow>(Prisma.sql`SELECT ${TASK_ROW} FROM task.tasks WHERE ${condition}`);
    return row ? taskRowFromPg(row) : null;
  }

  async list(owner: CallerIdentity, filter: TaskListFilter): Promise<{ rows: TaskRow[]; total: number }> {
    const where: Prisma.TaskWhereInput = {
      tenantId: owner.tenantId,
      userId: owner.userId,
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.sessionId ? { sessionId: filter.sessionId } : {}),
    };
    const [rows, total] = await Promise.all([
      this.prisma.task.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip: filter.offset, take: filter.limit }),
      this.prisma.task.count({ where }),
    ]);
    return { rows, total };
  }

  /** Tokens recorded on the tenant's tasks (every user's) created at or after `since`. */
  async tenantUsageSince(tenantId: string, since: Date): Promise<TokenUsage> {
    const [row] = await this.prisma.$queryRaw<{ input_tokens: bigint; output_tokens: bigint }[]>`
      SELECT COALESCE(SUM(input_tokens), 0)::bigint AS input_tokens, COALESCE(SUM(output_tokens), 0)::bigint AS output_tokens
      FROM task.tasks WHERE tenant_id = ${tenantId}::uuid AND created_at >= ${since}::timestamptz`;
    return { inputTokens: row.input_tokens, outputTokens: row.output_tokens };
  }

  /**
   * Settles a task no worker has claimed yet (queued, or paused before it started) as CANCELLED and
   * reserves the seqs of its closing events; the seq before them, or undefined when a worker got
   * there first.
   */
  async cancelQueued(tenantId: string, id: string, request: ControlRequest, events: number): Promise<bigint | undefined> {
    const rows = await this.prisma.$queryRaw<{ last_seq: bigint }[]>`
      UPDATE task.tasks SET status = 'CANCELLED', cancel_requested_at = now(), cancel_reason = ${request.reason}, cancelled_by = ${request.by},
        error = ${request.reason ? `Cancelled: ${request.reason}` : 'Cancelled by request'}, completed_at = now(), updated_at = now(), last_seq = last_seq + ${events}
      WHERE id = ${id} AND tenant_id = ${tenantId}::uuid AND status IN ('QUEUED', 'PAUSED') AND started_at IS NULL
      RETURNING last_seq`;
    return rows[0] ? rows[0].last_seq - BigInt(events) : undefined;
  }

  /** Records a cancel request on a running or paused task (the first request's reason stays). */
  async requestCancel(tenantId: string, id: string, request: ControlRequest): Promise<boolean> {
    const { count } = await this.prisma.task.updateMany({
      where: { id, tenantId, status: { in: ['RUNNING', 'PAUSED'] }, cancelRequestedAt: null },
      data: { cancelRequestedAt: new Date(), cancelReason: request.reason, cancelledBy: request.by },
    });
    return count === 1;
  }

  /** Records a pause on a task not yet finished: it reads PAUSED from now on (ADR 0015). */
  async requestPause(tenantId: string, id: string, request: ControlRequest): Promise<boolean> {
    const { count } = await this.prisma.task.updateMany({
      where: { id, tenantId, status: { in: ['QUEUED', 'RUNNING', 'PAUSED'] }, pauseRequested: false, cancelRequestedAt: null },
      data: { status: 'PAUSED', pauseRequested: true, pausedAt: new Date(), pauseReason: request.reason, pausedBy: request.by },
    });
    return count === 1;
  }

  /** Withdraws the pause: the task reads RUNNING again, or QUEUED when no worker has claimed it yet. */
  async requestResume(tenantId: string, id: string): Promise<boolean> {
    const count = await this.prisma.$executeRaw`
      UPDATE task.tasks SET status = CASE WHEN started_at IS NULL THEN 'QUEUED' ELSE 'RUNNING' END,
        pause_requested = false, paused_at = NULL, pause_reason = NULL, paused_by = NULL, updated_at = now()
      WHERE id = ${id} AND tenant_id = ${tenantId}::uuid AND status IN ('QUEUED', 'RUNNING', 'PAUSED') AND pause_requested`;
    return count === 1;
  }
}

export interface ControlRequest {
  reason: string | null;
  by: string;
}
