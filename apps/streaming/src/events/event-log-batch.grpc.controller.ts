import type { MessageInitShape } from '@bufbuild/protobuf';
import { Controller } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { Caller, type CallerIdentity } from '@shannon/auth';
import type { ListEventsForTasksRequest, ListEventsForTasksResponseSchema } from '@shannon/contracts';
import { ValidationError } from '@shannon/errors';
import { EventLogBatchReader } from './event-log-batch.reader';
import { toTaskEventMessage } from './event-log.mapper';

const MAX_TASKS = 1000;
const MAX_EVENTS = 10_000;

/** StreamingService.ListEventsForTasks: the event log of several tasks in one call. */
@Controller()
export class EventLogBatchGrpcController {
  constructor(private readonly reader: EventLogBatchReader) {}

  @GrpcMethod('StreamingService', 'ListEventsForTasks')
  async listEventsForTasks(
    @Payload() request: ListEventsForTasksRequest,
    @Caller() caller: CallerIdentity,
  ): Promise<MessageInitShape<typeof ListEventsForTasksResponseSchema>> {
    if (request.taskIds.length > MAX_TASKS) {
      throw new ValidationError(`At most ${MAX_TASKS} task ids per call`);
    }
    const maxEvents = Math.min(request.maxEvents || MAX_EVENTS, MAX_EVENTS);
    const { rows, count } = await this.reader.forTasks(caller.tenantId, [...new Set(request.taskIds)], maxEvents, request.includePayload);
    return {
      totalCount: count,
      events: rows.map((row) => toTaskEventMessage(row, request.includePayload)),
    };
  }
}
