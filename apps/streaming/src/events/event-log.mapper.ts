import type { JsonObject, MessageInitShape } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { TaskEvent, TaskEventSchema } from '@shannon/contracts';
import type { EventLogRow, NewEventLogRow } from './event-log.repository';

/** An event read from the EVENTS stream as the log keeps it (the consumer's and a read's catch-up alike). */
export function toNewEventLogRow(event: TaskEvent): NewEventLogRow {
  return {
    taskId: event.workflowId,
    seq: event.seq,
    tenantId: event.tenantId,
    type: event.type,
    agentId: event.agentId,
    message: event.message,
    payload: (event.payload ?? {}) as JsonObject,
    timestamp: event.timestamp ? timestampDate(event.timestamp) : new Date(),
  };
}

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
