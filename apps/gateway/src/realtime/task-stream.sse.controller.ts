import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiProduces, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@shannon/auth';
import { ErrorResponse } from '@shannon/contracts';
import type { FastifyReply } from 'fastify';
import { StreamParams } from './stream-params.decorator';
import { TaskStreamService } from './task-stream.service';

const SSE_DESCRIPTION =
  'Server-Sent Events: `: connected to workflow <id>`, then `id: <seq>` / `event: <name>` / `data: <json>` frames ' +
  '(LLM_PARTIAL as thread.message.delta, LLM_OUTPUT as thread.message.completed, ERROR_OCCURRED as error, STREAM_END as done with [DONE], ' +
  'WORKFLOW_PAUSING.. as workflow.pausing..; `event: gap` names events no longer kept), `: ping` heartbeats; closes after done.';

const PREFIX = 'api/v1';
const BY_QUERY = 'stream/sse';
const BY_PATH = 'tasks/:id/stream';
/** The SSE routes in full (long-lived: no request logger of their own, see StreamHub's close line). */
export const SSE_ROUTES = [`${PREFIX}/${BY_QUERY}`, `${PREFIX}/${BY_PATH}`];

/** Task events as Server-Sent Events: history first, then live, resumable from any replica. */
@ApiTags('streaming')
@ApiSecurity('apiKey')
@ApiNotFoundResponse({ type: ErrorResponse, description: 'Unknown task, or another tenant’s' })
@ApiQuery({ name: 'types', required: false, description: 'Comma-separated event types to send (done and gap frames always come)' })
@ApiQuery({ name: 'last_event_id', required: false, description: 'Resume point: a seq, or a stream_id <ms>-<seq>' })
@ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume point; takes precedence over last_event_id' })
@ApiProduces('text/event-stream')
@Controller(PREFIX)
export class TaskStreamSseController {
  constructor(private readonly streams: TaskStreamService) {}

  @Get(BY_QUERY)
  @ApiQuery({ name: 'workflow_id', required: true })
  @ApiOkResponse({ description: SSE_DESCRIPTION })
  async streamByQuery(@CurrentPrincipal() principal: Principal, @StreamParams() params: StreamParams, @Res() reply: FastifyReply): Promise<void> {
    const stream = await this.streams.accept(principal, { ...params, taskId: params.workflowId, taskIdFrom: 'query' });
    this.streams.openSse(principal, stream, reply);
  }

  @Get(BY_PATH)
  @ApiParam({ name: 'id', description: 'Task id (the workflow_id)' })
  @ApiOkResponse({ description: SSE_DESCRIPTION })
  async streamByPath(@CurrentPrincipal() principal: Principal, @Param('id') taskId: string, @StreamParams() params: StreamParams, @Res() reply: FastifyReply): Promise<void> {
    const stream = await this.streams.accept(principal, { ...params, taskId, taskIdFrom: 'path' });
    this.streams.openSse(principal, stream, reply);
  }
}
