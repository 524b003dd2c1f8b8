import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@shannon/auth';
import type { FastifyReply } from 'fastify';
import { register } from 'prom-client';
import { ReadinessService } from './readiness.service';

export const GATEWAY_VERSION = '0.1.0';

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  /** The process is alive. */
  @Get('health')
  @ApiOkResponse({ description: '{"status":"healthy","version","time"}' })
  health() {
    return { status: 'healthy', version: GATEWAY_VERSION, time: new Date().toISOString() };
  }

  /** Every service and dependency answers. */
  @Get('readiness')
  @ApiOkResponse({ description: '{"status":"ready","checks":{...}}' })
  @ApiServiceUnavailableResponse({ description: '{"status":"not ready","checks":{...}} naming what is down' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const { ready, checks } = await this.readiness.check();
    void reply.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not ready', version: GATEWAY_VERSION, checks };
  }

  @Get('metrics')
  @ApiExcludeEndpoint()
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}
