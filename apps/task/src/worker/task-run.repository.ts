import { Injectable } from '@nestjs/common';
import { jsonbText, storableText } from '@shannon/db';
import { Prisma, type TaskStep } from '../generated/prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import { type PgTaskRow, TASK_ROW, taskRowFromPg } from '../tasks/task-row-columns';
import type { TaskRow } from '../tasks/task.repository';

/** Model text as a text column stores it (no NUL, no lone surrogate); null stays null. */
const textOrNull = (text: string | undefined): string | null => (text === undefined ? null : storableText(text));

export type StepRow = TaskStep;

/** A worker lost its lease (another worker took the task over): it must stop at once. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';

  constructor(taskId: string) {
    super(`The lease on ${taskId} was lost to another worker`);
  }
}

export type ClaimResult =
  | { kind: 'claimed'; task: TaskRow }
  | { kind: 'finished'; task: TaskRow }
  | { kind: 'leased'; task: TaskRow; retryInMs: number }
  | { kind: 'missing' };

export interface StepRecord {
  key: string;
  kind: 'llm' | 'tool';
  status: 'completed' | 'aborted';
  output: Prisma.InputJsonValue;
  model?: string;
  provider?: string;
  inputTokens: number;
  outputTokens: number;
  estimatedCost: number;
  durationMs: number;
}

export interface RunOutcome {
  status: 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TIMEOUT';
  result?: string;
  error?: string;
  modelUsed?: string;
  provider?: string;
}

export interface LeaseState {
  pauseRequested: boolean;
  cancelRequested: boolean;
}

const ACTIVE = ['QUEUED', 'RUNNING', 'PAUSED'];

/**
 * The worker's side of the task row: claims with a lease, renews it, checkpoints steps (fenced by
 * the lease, so a worker that lost the task cannot write), and writes the outcome once.
 */
@Injectable()
export class TaskRunRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Takes the lease in one statement that hands back the claimed row; the deadline is fixed at the
   * first claim from the task's own timeout (`defaultTimeoutSeconds` when it has none). Only a
   * task that could not be claimed is read again, to say why.
   */
  async claim(taskId: string, workerId: string, leaseMs: number, defaultTimeoutSeconds: number): Promise<ClaimResult> {
    const [claimed] = await this.prisma.pg.rows<PgTaskRow>(Prisma.sql`
      UPDATE task.tasks SET
        status = CASE WHEN status = 'QUEUED' THEN 'RUNNING' ELSE status END,
        attempts = attempts + 1,
        lease_owner = ${workerId}::text,
        lease_until = now() + make_interval(secs => ${leaseMs / 1000}::double precision),
        started_at = coalesce(started_at, now()),
        deadline_at = coalesce(deadline_at, now() + make_interval(secs => coalesce(timeout_seconds, ${defaultTimeoutSeconds}::integer))),
        updated_at = now()
      WHERE id = ${taskId}::text AND status IN ('QUEUED', 'RUNNING', 'PAUSED') AND (lease_until IS NULL OR lease_until < now() OR lease_owner = ${workerId}::text)
      RETURNING ${TASK_ROW}`);
    if (claimed) {
      return { kind: 'claimed', task: taskRowFromPg(claimed) };
    }
    const task = await this.prisma.task.findUnique({ where: { id: taskId } });
    if (!task) {
      return { kind: 'missing' };
    }
    if (!ACTIVE.includes(task.status)) {
      return { kind: 'finished', task };
    }
    return { kind: 'leased', task, retryInMs: Math.max(50, (task.leaseUntil?.getTime() ?? Date.now()) - Date.now() + 50) };
  }

  /** Extends the lease and reads the control requests; undefined when the lease is gone. */
  async renew(taskId: string, workerId: string, leaseMs: number): Promise<LeaseState | undefined> {
    const rows = await this.prisma.pg.rows<{ pause_requested: boolean; cancel_requested_at: Date | null }>(Prisma.sql`
      UPDATE task.tasks SET lease_until = now() + make_interval(secs => ${leaseMs / 1000}::double precision)
      WHERE id = ${taskId}::text AND lease_owner = ${workerId}::text AND status IN ('RUNNING', 'PAUSED')
      RETURNING pause_requested, cancel_requested_at`);
    return rows[0] ? { pauseRequested: rows[0].pause_requested, cancelRequested: rows[0].cancel_requested_at !== null } : undefined;
  }

  steps(taskId: string): Promise<StepRow[]> {
    return this.prisma.taskStep.findMany({ where: { taskId } });
  }

  /** The step and its usage in one statement (atomic, one round trip), fenced by the lease. */
  async recordStep(taskId: string, workerId: string, attempt: number, step: StepRecord, lastSeq: bigint): Promise<void> {
    const model = step.model ?? null;
    const recorded = await this.prisma.pg.execute(Prisma.sql`
      WITH fenced AS (
        UPDATE task.tasks SET
          input_tokens = input_tokens + ${step.inputTokens}::integer,
          output_tokens = output_tokens + ${step.outputTokens}::integer,
          estimated_cost = estimated_cost + ${step.estimatedCost}::numeric,
          last_seq = ${lastSeq}::bigint,
          model_used = CASE WHEN ${model}::text IS NULL THEN model_used ELSE ${model}::text END,
          provider = CASE WHEN ${model}::text IS NULL THEN provider ELSE coalesce(${step.provider ?? null}::text, provider) END,
          updated_at = now()
        WHERE id = ${taskId}::text AND lease_owner = ${workerId}::text AND status IN ('RUNNING', 'PAUSED')
        RETURNING id
      )
      INSERT INTO task.task_steps (task_id, key, kind, status, output, model, provider, input_tokens, output_tokens, estimated_cost, duration_ms, attempt)
      SELECT id, ${step.key}::text, ${step.kind}::text, ${step.status}::text, ${jsonbText(step.output)}::jsonb, ${model}::text, ${step.provider ?? null}::text,
        ${step.inputTokens}::integer, ${step.outputTokens}::integer, ${step.estimatedCost}::numeric, ${step.durationMs}::integer, ${attempt}::integer
      FROM fenced
      RETURNING key`);
    if (recorded !== 1) {
      throw new LeaseLostError(taskId);
    }
  }

  /** True once per task: the caller may send the BUDGET_THRESHOLD event. */
  async markBudgetWarned(taskId: string): Promise<boolean> {
    const { count } = await this.prisma.task.updateMany({ where: { id: taskId, budgetWarned: false }, data: { budgetWarned: true } });
    return count === 1;
  }

  /** Writes the outcome once, fenced by the lease; false when the task already finished. */
  async finish(taskId: string, workerId: string, outcome: RunOutcome, lastSeq: bigint): Promise<boolean> {
    // Sent with pg alone, like the other statements on each task's path (docs/adr/0046). An
    // outcome field left out keeps the column's value.
    const count = await this.prisma.pg.execute(Prisma.sql`
      UPDATE task.tasks SET
        status = ${outcome.status}::text,
        result = coalesce(${textOrNull(outcome.result)}::text, result),
        error = coalesce(${textOrNull(outcome.error)}::text, error),
        model_used = coalesce(${outcome.modelUsed ?? null}::text, model_used),
        provider = coalesce(${outcome.provider ?? null}::text, provider),
        last_seq = ${lastSeq}::bigint, completed_at = ${new Date()}::timestamptz, lease_owner = NULL, lease_until = NULL, updated_at = now()
      WHERE id = ${taskId}::text AND lease_owner = ${workerId}::text AND status IN ('RUNNING', 'PAUSED')`);
    return count === 1;
  }

  /** Gives the task back (shutdown, failed delivery): the next delivery may claim it at once. */
  async release(taskId: string, workerId: string, lastSeq: bigint): Promise<void> {
    await this.prisma.task.updateMany({ where: { id: taskId, leaseOwner: workerId }, data: { leaseOwner: null, leaseUntil: null, lastSeq } });
  }

  /** Ends a task that exhausted its deliveries, whoever held it, and keeps the dead letter. */
  async deadLetter(entry: { taskId?: string; subject: string; deliveries: number; reason: string; payload: Uint8Array }, lastSeq?: bigint): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      await tx.deadLetter.create({
        data: { taskId: entry.taskId, subject: entry.subject, deliveries: entry.deliveries, reason: entry.reason, payload: Buffer.from(entry.payload) },
      });
      if (!entry.taskId) {
        return false;
      }
      const { count } = await tx.task.updateMany({
        where: { id: entry.taskId, status: { in: ACTIVE } },
        data: { status: 'FAILED', error: entry.reason, completedAt: new Date(), leaseOwner: null, leaseUntil: null, ...(lastSeq !== undefined ? { lastSeq } : {}) },
      });
      return count === 1;
    });
  }
}
