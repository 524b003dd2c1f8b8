import type { MessageInitShape } from '@bufbuild/protobuf';
import { Controller } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { Caller, type CallerIdentity } from '@shannon/auth';
import type { ListEventsRequest, ListEventsResponseSchema, SubscribeRequest, SubscribeResponseSchema } from '@shannon/contracts';
import { ValidationError } from '@shannon/errors';
import { backpressuredStream, GrpcCall, type GrpcServerCall } from '@shannon/grpc';
import type { Observable } from 'rxjs';
import { TaskEventSubscriptions } from '../subscriptions/task-event.subscriptions';
import { EventLogCatchUp } from './event-log.catch-up';
import { toTaskEventMessage } from './event-log.mapper';
import { EventLogRepository } from './event-log.repository';
import { assertTaskId } from './task-id';

const MAX_PAGE = 200;

@Controller()
export class StreamingGrpcController {
  constructor(
    private readonly log: EventLogRepository,
    private readonly catchUp: EventLogCatchUp,
    private readonly subscriptions: TaskEventSubscriptions,
  ) {}

  /** A page of the task's history, which holds every lasting event published before the call (ADR 0050). */
  @GrpcMethod('StreamingService', 'ListEvents')
  async listEvents(@Payload() request: ListEventsRequest, @Caller() caller: CallerIdentity): Promise<MessageInitShape<typeof ListEventsResponseSchema>> {
    if (request.limit > MAX_PAGE) {
      throw new ValidationError(`limit must be 1..${MAX_PAGE}`);
    }
    assertTaskId(request.taskId);
    await this.catchUp.catchUp(caller.tenantId, request.taskId, request.taskFinished);
    const { rows, count } = await this.log.page(caller.tenantId, request.taskId, request.limit || 50, request.offset);
    return {
      count,
      events: rows.map((row) => toTaskEventMessage(row)),
    };
  }

  @GrpcMethod('StreamingService', 'Subscribe')
  subscribe(
    @Payload() request: SubscribeRequest,
    @Caller() caller: CallerIdentity,
    @GrpcCall() call: GrpcServerCall,
  ): Observable<MessageInitShape<typeof SubscribeResponseSchema>> {
    const open = this.subscriptions.open(caller, request);
    return backpressuredStream((signal) => open(signal), call);
  }
}
