import type { JsonObject, MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { TaskEventSchema } from '@shannon/contracts';
import type { EventLogRow } from './event-log.repository';

/** A logged event as the TaskEvent message; without its payload unless `withPayload`. */
export function toTaskEventMessage(row: EventLogRow, withPayload = true): MessageInitShape<typeof TaskEventSchema> {
  return {
    workflowId: row.taskId,
    tenantId: row.tenantId,
    type: row.type,
    agentId: row.agentId,
    message: row.message,
    payload: withPayload ? (row.payload as JsonObject) : undefined,
    timestamp: timestampFromDate(row.timestamp),
    seq: row.seq,
  };
}
