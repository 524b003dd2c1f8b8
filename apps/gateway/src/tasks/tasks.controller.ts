import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@shannon/auth';
import {
  CreateTaskDto,
  ErrorResponse,
  ListEventsQuery,
  ListTasksQuery,
  TaskSubmittedResponse,
  TaskEventsResponse,
  TaskControlResponse,
  TaskControlStateResponse,
  TaskListResponse,
  TaskStatusResponse,
  TaskStreamSubmittedResponse,
  TaskTimelineResponse,
  TimelineQuery,
} from '@shannon/contracts';
import type { FastifyReply } from 'fastify';
import { IDEMPOTENCY_CACHED_HEADER } from '../idempotency/idempotency-key';
import { IdempotencyRequest, type IdempotentRequest } from '../idempotency/idempotency-request.decorator';
import { controlReason, TaskGatewayService } from './task-gateway.service';

const IDEMPOTENT_SUBMIT =
  'Repeats within 24 h return the first task (X-Idempotency-Cached: true); another body, or the key used on another route: 422. Kept durably with the task.';

@ApiTags('tasks')
@ApiSecurity('apiKey')
@ApiBadRequestResponse({ type: ErrorResponse })
@Controller('api/v1/tasks')
export class TasksController {
  constructor(private readonly tasks: TaskGatewayService) {}

  @Post()
  @HttpCode(200)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: IDEMPOTENT_SUBMIT })
  @ApiOkResponse({ type: TaskSubmittedResponse })
  @ApiConflictResponse({ type: ErrorResponse, description: 'session_concurrency "reject" while the session has a task queued or running' })
  async submit(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateTaskDto,
    @IdempotencyRequest() idempotency: IdempotentRequest | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskSubmittedResponse> {
    const { response: submitted, replayed } = await this.tasks.submit(principal, body, idempotency);
    void reply.header('X-Workflow-ID', submitted.workflow_id).header('X-Session-ID', submitted.session_id);
    if (replayed) {
      void reply.header(IDEMPOTENCY_CACHED_HEADER, 'true');
    }
    return submitted;
  }

  /** Submits a task and answers where to stream it from; it does not stream itself. */
  @Post('stream')
  @HttpCode(201)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: IDEMPOTENT_SUBMIT })
  @ApiCreatedResponse({ type: TaskStreamSubmittedResponse, description: 'Also `Link: <stream_url>; rel=stream`, `X-Workflow-ID`, `X-Session-ID`' })
  async submitForStream(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateTaskDto,
    @IdempotencyRequest() idempotency: IdempotentRequest | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskStreamSubmittedResponse> {
    const { response, replayed } = await this.tasks.submitForStream(principal, body, idempotency);
    const { session_id, ...submitted } = response;
    if (replayed) {
      void reply.header(IDEMPOTENCY_CACHED_HEADER, 'true');
    }
    void reply
      .header('X-Workflow-ID', submitted.workflow_id)
      .header('X-Session-ID', session_id)
      .header('Link', `<${submitted.stream_url}>; rel=stream`);
    return submitted;
  }

  @Get()
  @ApiOkResponse({ type: TaskListResponse })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListTasksQuery): Promise<TaskListResponse> {
    return this.tasks.list(principal, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: TaskStatusResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskStatusResponse> {
    const status = await this.tasks.get(principal, id);
    void reply.header('X-Workflow-ID', status.workflow_id);
    return status;
  }

  @Get(':id/events')
  @ApiOkResponse({ type: TaskEventsResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  events(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query() query: ListEventsQuery): Promise<TaskEventsResponse> {
    return this.tasks.events(principal, id, query);
  }

  @Get(':id/timeline')
  @ApiOkResponse({ type: TaskTimelineResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  timeline(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query() query: TimelineQuery): Promise<TaskTimelineResponse> {
    return this.tasks.timeline(principal, id, query);
  }

  @Post(':id/cancel')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: TaskControlResponse, description: 'Idempotent; body {"reason"} optional' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'The task already finished otherwise' })
  cancel(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: unknown): Promise<TaskControlResponse> {
    return this.tasks.cancel(principal, id, controlReason(body));
  }

  @Post(':id/pause')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: TaskControlResponse })
  @ApiConflictResponse({ type: ErrorResponse })
  pause(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: unknown): Promise<TaskControlResponse> {
    return this.tasks.pause(principal, id, controlReason(body));
  }

  @Post(':id/resume')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: TaskControlResponse })
  @ApiConflictResponse({ type: ErrorResponse })
  resume(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: unknown): Promise<TaskControlResponse> {
    return this.tasks.resume(principal, id, controlReason(body));
  }

  @Get(':id/control-state')
  @ApiOkResponse({ type: TaskControlStateResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  controlState(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<TaskControlStateResponse> {
    return this.tasks.controlState(principal, id);
  }
}
