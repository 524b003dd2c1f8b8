import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { LoggingModule } from '@shannon/logging';
import { AccountGatewayService } from './accounts/account-gateway.service';
import { AuthController } from './accounts/auth.controller';
import { ApiKeyRevocations } from './auth/api-key-revocations';
import { AuthGuard } from './auth/auth.guard';
import { PrincipalResolver } from './auth/principal.resolver';
import { InternalClients } from './clients/internal-clients';
import { RedisClient } from './clients/redis.client';
import { GATEWAY_CONFIG, type GatewayConfig } from './config';
import { HealthController } from './health/health.controller';
import { ReadinessService } from './health/readiness.service';
import { HttpExceptionFilter } from './http/http-exception.filter';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { RateLimiter } from './rate-limit/rate-limiter';
import { streamHubProvider } from './realtime/stream-hub.provider';
import { TaskEventUpstream } from './realtime/task-event.upstream';
import { TaskStreamService } from './realtime/task-stream.service';
import { SSE_ROUTES, TaskStreamSseController } from './realtime/task-stream.sse.controller';
import { TaskStreamWsController } from './realtime/task-stream.ws.controller';
import { WebSocketUpgrades } from './realtime/websocket-upgrades';
import { SessionGatewayService } from './sessions/session-gateway.service';
import { SessionTurns } from './sessions/session-turns';
import { SessionsController } from './sessions/sessions.controller';
import { TaskInterruptHook } from './sessions/task-interrupt.hook';
import { SubmittedTasks } from './tasks/submitted-tasks';
import { TaskGatewayService } from './tasks/task-gateway.service';
import { TasksController } from './tasks/tasks.controller';

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [LoggingModule.forRoot({ service: 'gateway', level: config.LOG_LEVEL, format: config.LOG_FORMAT, unloggedRoutes: SSE_ROUTES })],
      controllers: [AuthController, HealthController, SessionsController, TasksController, TaskStreamSseController, TaskStreamWsController],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: InternalClients, useValue: new InternalClients(config) },
        { provide: RedisClient, useFactory: () => RedisClient.connect(config.REDIS_URL) },
        // The edge, in order: who is calling, then how often, then whether it was asked before.
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        AccountGatewayService,
        ApiKeyRevocations,
        PrincipalResolver,
        RateLimiter,
        ReadinessService,
        SessionGatewayService,
        SessionTurns,
        streamHubProvider,
        SubmittedTasks,
        TaskEventUpstream,
        TaskGatewayService,
        TaskInterruptHook,
        TaskStreamService,
        WebSocketUpgrades,
      ],
    };
  }
}
