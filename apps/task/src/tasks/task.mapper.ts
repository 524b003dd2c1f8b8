import type { JsonObject, MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { TaskSchema } from '@shannon/contracts';
import { toProtoStatus } from './task-status';
import type { TaskRow } from './task.repository';

export function toTaskMessage(row: TaskRow): MessageInitShape<typeof TaskSchema> {
  const cost = Number(row.estimatedCost);
  // Paused is the status (ADR 0015): control-state says what GET and the list say, and describes
  // the pause only while there is one.
  const paused = row.status === 'PAUSED';
  return {
    taskId: row.id,
    tenantId: row.tenantId,
    userId: row.userId,
    sessionId: row.sessionId,
    clientSessionId: row.clientSessionId ?? '',
    query: row.query,
    mode: row.mode,
    modelTier: row.modelTier,
    context: (row.context ?? {}) as JsonObject,
    status: toProtoStatus(row.status),
    result: row.result ?? '',
    error: row.error ?? '',
    modelUsed: row.modelUsed ?? '',
    provider: row.provider ?? '',
    usage: {
      inputTokens: row.inputTokens,
      outputTokens: row.outputTokens,
      totalTokens: row.inputTokens + row.outputTokens,
      estimatedCost: cost,
    },
    createdAt: timestampFromDate(row.createdAt),
    updatedAt: timestampFromDate(row.updatedAt),
    startedAt: row.startedAt ? timestampFromDate(row.startedAt) : undefined,
    completedAt: row.completedAt ? timestampFromDate(row.completedAt) : undefined,
    attempts: row.attempts,
    control: {
      isPaused: paused,
      isCancelled: row.cancelRequestedAt !== null,
      pausedAt: paused && row.pausedAt ? timestampFromDate(row.pausedAt) : undefined,
      pauseReason: (paused && row.pauseReason) || '',
      pausedBy: (paused && row.pausedBy) || '',
      cancelReason: row.cancelReason ?? '',
      cancelledBy: row.cancelledBy ?? '',
      cancelledAt: row.cancelRequestedAt ? timestampFromDate(row.cancelRequestedAt) : undefined,
    },
    traceId: row.traceId ?? '',
    traceparent: row.traceparent ?? '',
    tracestate: row.tracestate ?? '',
  };
}
