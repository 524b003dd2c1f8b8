import type { MessageInitShape } from '@bufbuild/protobuf';
import { Controller } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { Caller, type CallerIdentity } from '@shannon/auth';
import { type ListEventsForTasksRequest, type ListEventsForTasksResponseSchema, MAX_CATCH_UPS_PER_CALL } from '@shannon/contracts';
import { ValidationError } from '@shannon/errors';
import { EventLogBatchReader } from './event-log-batch.reader';
import { EventLogCatchUp } from './event-log.catch-up';
import { toTaskEventMessage } from './event-log.mapper';
import { assertTaskId } from './task-id';

const MAX_TASKS = 1000;
const MAX_EVENTS = 10_000;

/** StreamingService.ListEventsForTasks: the event log of several tasks in one call. */
@Controller()
export class EventLogBatchGrpcController {
  constructor(
    private readonly reader: EventLogBatchReader,
    private readonly catchUp: EventLogCatchUp,
  ) {}

  /** The logged events of the tasks; those named in `catch_up` hold every lasting event published before the call (ADR 0050). */
  @GrpcMethod('StreamingService', 'ListEventsForTasks')
  async listEventsForTasks(
    @Payload() request: ListEventsForTasksRequest,
    @Caller() caller: CallerIdentity,
  ): Promise<MessageInitShape<typeof ListEventsForTasksResponseSchema>> {
    if (request.taskIds.length > MAX_TASKS) {
      throw new ValidationError(`At most ${MAX_TASKS} task ids per call`);
    }
    if (request.catchUp.length > MAX_CATCH_UPS_PER_CALL) {
      throw new ValidationError(`At most ${MAX_CATCH_UPS_PER_CALL} tasks to catch up per call`);
    }
    const taskIds = new Set(request.taskIds);
    const catchUps = request.catchUp.filter(({ taskId }) => taskIds.has(taskId));
    catchUps.forEach(({ taskId }) => assertTaskId(taskId));
    await Promise.all(catchUps.map(({ taskId, taskFinished }) => this.catchUp.catchUp(caller.tenantId, taskId, taskFinished)));
    const maxEvents = Math.min(request.maxEvents || MAX_EVENTS, MAX_EVENTS);
    const { rows, count } = await this.reader.forTasks(caller.tenantId, [...taskIds], maxEvents, request.includePayload);
    return {
      totalCount: count,
      events: rows.map((row) => toTaskEventMessage(row, request.includePayload)),
    };
  }
}
