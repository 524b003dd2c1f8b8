import type { MessageInitShape } from '@bufbuild/protobuf';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { Controller } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { Caller, type CallerIdentity } from '@shannon/auth';
import { CallTrace } from '@shannon/grpc';
import type { TraceContext } from '@shannon/logging';
import type {
  CancelTaskRequest,
  CancelTaskResponseSchema,
  GetControlStateRequest,
  GetControlStateResponseSchema,
  PauseTaskRequest,
  PauseTaskResponseSchema,
  ResumeTaskRequest,
  ResumeTaskResponseSchema,
  GetTaskRequest,
  GetTaskResponseSchema,
  GetTenantUsageRequest,
  GetTenantUsageResponseSchema,
  ListTasksRequest,
  ListTasksResponseSchema,
  SubmitTaskRequest,
  SubmitTaskResponseSchema,
} from '@shannon/contracts';
import { ValidationError } from '@shannon/errors';
import { TaskControlService } from './task-control.service';
import { fromProtoStatus } from './task-status';
import { toTaskMessage } from './task.mapper';
import { TaskService } from './task.service';

const MAX_PAGE = 100;

@Controller()
export class TaskGrpcController {
  constructor(
    private readonly tasks: TaskService,
    private readonly control: TaskControlService,
  ) {}

  @GrpcMethod('TaskService', 'SubmitTask')
  async submitTask(
    @Payload() request: SubmitTaskRequest,
    @Caller() caller: CallerIdentity,
    @CallTrace() trace: TraceContext | undefined,
  ): Promise<MessageInitShape<typeof SubmitTaskResponseSchema>> {
    const { task, replayed } = await this.tasks.submit(caller, request, trace);
    return { task: toTaskMessage(task), idempotentReplay: replayed };
  }

  @GrpcMethod('TaskService', 'GetTask')
  async getTask(@Payload() request: GetTaskRequest, @Caller() caller: CallerIdentity): Promise<MessageInitShape<typeof GetTaskResponseSchema>> {
    return { task: toTaskMessage(await this.tasks.get(caller, request.taskId)) };
  }

  @GrpcMethod('TaskService', 'ListTasks')
  async listTasks(@Payload() request: ListTasksRequest, @Caller() caller: CallerIdentity): Promise<MessageInitShape<typeof ListTasksResponseSchema>> {
    if (request.limit > MAX_PAGE) {
      throw new ValidationError('Invalid limit parameter');
    }
    const { rows, total } = await this.tasks.list(caller, {
      limit: request.limit || 20,
      offset: request.offset,
      status: fromProtoStatus(request.status),
      sessionId: request.sessionId || undefined,
    });
    return { tasks: rows.map(toTaskMessage), totalCount: total };
  }

  @GrpcMethod('TaskService', 'CancelTask')
  async cancelTask(@Payload() request: CancelTaskRequest, @Caller() caller: CallerIdentity): Promise<MessageInitShape<typeof CancelTaskResponseSchema>> {
    const { task, changed } = await this.control.cancel(caller, request.taskId, request.reason);
    return { task: toTaskMessage(task), changed };
  }

  @GrpcMethod('TaskService', 'PauseTask')
  async pauseTask(@Payload() request: PauseTaskRequest, @Caller() caller: CallerIdentity): Promise<MessageInitShape<typeof PauseTaskResponseSchema>> {
    return { task: toTaskMessage(await this.control.pause(caller, request.taskId, request.reason)) };
  }

  @GrpcMethod('TaskService', 'ResumeTask')
  async resumeTask(@Payload() request: ResumeTaskRequest, @Caller() caller: CallerIdentity): Promise<MessageInitShape<typeof ResumeTaskResponseSchema>> {
    return { task: toTaskMessage(await this.control.resume(caller, request.taskId)) };
  }

  @GrpcMethod('TaskService', 'GetControlState')
  async getControlState(@Payload() request: GetControlStateRequest, @Caller() caller: CallerIdentity): Promise<MessageInitShape<typeof GetControlStateResponseSchema>> {
    return { state: toTaskMessage(await this.tasks.get(caller, request.taskId)).control };
  }

  @GrpcMethod('TaskService', 'GetTenantUsage')
  getTenantUsage(@Payload() request: GetTenantUsageRequest, @Caller() caller: CallerIdentity): Promise<MessageInitShape<typeof GetTenantUsageResponseSchema>> {
    return this.tasks.tenantUsage(caller, request.since && timestampDate(request.since));
  }
}
