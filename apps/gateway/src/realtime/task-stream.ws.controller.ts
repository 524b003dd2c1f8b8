import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiQuery, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@shannon/auth';
import { ErrorResponse } from '@shannon/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { StreamParams } from './stream-params.decorator';
import { TaskStreamService } from './task-stream.service';
import { WebSocketUpgrades } from './websocket-upgrades';

/** Task events over a WebSocket: one JSON text frame per event, closed with 1000 after STREAM_END. */
@ApiTags('streaming')
@ApiSecurity('apiKey')
@Controller('api/v1/stream')
export class TaskStreamWsController {
  constructor(
    private readonly streams: TaskStreamService,
    private readonly upgrades: WebSocketUpgrades,
  ) {}

  @Get('ws')
  @ApiQuery({ name: 'workflow_id', required: true })
  @ApiQuery({ name: 'types', required: false, description: 'Comma-separated event types to send' })
  @ApiQuery({ name: 'last_event_id', required: false, description: 'Resume point: a seq, or a stream_id <ms>-<seq>' })
  @ApiResponse({ status: 101, description: 'WebSocket: one JSON text frame per event (the whole event object), {"type":"gap",...} for events no longer kept' })
  @ApiResponse({ status: 426, type: ErrorResponse, description: 'Not a WebSocket upgrade request' })
  @ApiNotFoundResponse({ type: ErrorResponse })
  async stream(@CurrentPrincipal() principal: Principal, @StreamParams() params: StreamParams, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    // A WebSocket resumes by the last_event_id query only (API.md).
    const stream = await this.streams.accept(principal, { ...params, lastEventIdHeader: undefined, taskId: params.workflowId, taskIdFrom: 'query' });
    const socket = await this.upgrades.accept(request, reply);
    this.streams.openWebSocket(principal, stream, socket);
  }
}
