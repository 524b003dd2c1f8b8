import { Inject, Injectable } from '@nestjs/common';
import { identityHeaders, type Principal } from '@shannon/auth';
import { ErrorCode, NotFoundError } from '@shannon/errors';
import type { FastifyReply } from 'fastify';
import type { OutgoingHttpHeaders } from 'node:http';
import type { WebSocket } from 'ws';
import { InternalClients } from '../clients/internal-clients';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { SubmittedTasks } from '../tasks/submitted-tasks';
import { isFinishedStatus } from '../tasks/task-status';
import { compactSentHeader } from './sent-header';
import { SseSink } from './sse.sink';
import { sseConnected } from './stream-frames';
import { StreamHub } from './stream-hub';
import { parseStreamRequest, type RawStreamRequest, type StreamRequest } from './stream-request';
import { WsSink } from './ws.sink';

/** A stream request that was checked and whose task the caller owns. */
export interface AcceptedStream {
  request: StreamRequest;
  /** The task was still running when the client asked. */
  live: boolean;
}

/** Opens SSE and WebSocket streams of tasks: every check happens before the stream starts. */
@Injectable()
export class TaskStreamService {
  constructor(
    private readonly clients: InternalClients,
    private readonly hub: StreamHub,
    private readonly submitted: SubmittedTasks,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * 400 for a malformed request, 404 for a task that is unknown or another tenant's. A task this
   * process already follows live for the caller's tenant is known to exist: thousands of clients
   * joining one task cost the task service one lookup, not one each. So is a task this process
   * submitted for the tenant: it is followed as live (a feed of a task that has ended meanwhile
   * replays it to its end).
   */
  async accept(principal: Principal, raw: RawStreamRequest): Promise<AcceptedStream> {
    const request = parseStreamRequest(raw);
    if (this.hub.followsLive(principal, request.taskId) || this.submitted.submittedFor(principal.tenantId, request.taskId)) {
      return { request, live: true };
    }
    const { task } = await this.clients.task.getTask({ taskId: request.taskId }, { headers: identityHeaders(principal) });
    if (!task) {
      throw new NotFoundError(ErrorCode.TaskNotFound, 'Task not found');
    }
    return { request, live: !isFinishedStatus(task.status) };
  }

  /** Takes the response over and streams Server-Sent Events on it; a HEAD request gets the headers alone. */
  openSse(principal: Principal, stream: AcceptedStream, reply: FastifyReply): void {
    reply.hijack();
    const response = reply.raw;
    response.socket?.setNoDelay(true);
    response.writeHead(200, {
      ...(reply.getHeaders() as OutgoingHttpHeaders),
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-workflow-id': stream.request.taskId,
    });
    compactSentHeader(response);
    if (reply.request.method === 'HEAD') {
      // Nothing is sent after the headers: following the task would only hold the answer open until it ends.
      response.end();
      return;
    }
    response.write(sseConnected(stream.request.taskId));
    this.hub.open(principal, stream.request, stream.live, new SseSink(response));
  }

  openWebSocket(principal: Principal, stream: AcceptedStream, socket: WebSocket): void {
    this.hub.open(principal, stream.request, stream.live, new WsSink(socket, this.config.STREAM_CLIENT_BUFFER_BYTES));
  }
}
