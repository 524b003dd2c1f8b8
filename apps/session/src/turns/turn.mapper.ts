import type { MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { TurnSchema } from '@shannon/contracts';
import type { TurnRow } from './turn.repository';

export function toTurnMessage(row: TurnRow): MessageInitShape<typeof TurnSchema> {
  return {
    taskId: row.taskId,
    sessionId: row.sessionId,
    seq: row.seq,
    query: row.query,
    mode: row.mode ?? '',
    status: row.status,
    result: row.result ?? '',
    error: row.error ?? '',
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    costUsd: Number(row.costUsd),
    createdAt: timestampFromDate(row.createdAt),
    startedAt: row.startedAt ? timestampFromDate(row.startedAt) : undefined,
    completedAt: row.completedAt ? timestampFromDate(row.completedAt) : undefined,
    interruptedBy: row.interruptedBy ?? '',
  };
}
