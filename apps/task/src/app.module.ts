import { type DynamicModule, Module } from '@nestjs/common';
import { BusModule, NatsHealthIndicator } from '@shannon/bus';
import { PrismaHealthIndicator } from '@shannon/db';
import { HEALTH_INDICATORS, HealthGrpcController } from '@shannon/grpc';
import { LoggingModule } from '@shannon/logging';
import { TASK_CONFIG, type TaskConfig } from './config';
import { PromptBuilder } from './agent/prompt-builder';
import { StrategyRegistry } from './agent/strategies/strategy.registry';
import { ModelCatalog } from './llm';
import { OutboxRelay } from './outbox/outbox.relay';
import { OutboxRepository } from './outbox/outbox.repository';
import { PrismaService } from './prisma/prisma.service';
import { ConversationHistory, createSessionClient, SESSION_CLIENT } from './sessions/conversation-history';
import { IdempotencyKeyPurger } from './tasks/idempotency-key.purger';
import { TaskGrpcController } from './tasks/task.grpc.controller';
import { TaskControlPublisher } from './tasks/task-control.publisher';
import { TaskControlService } from './tasks/task-control.service';
import { TaskRepository } from './tasks/task.repository';
import { TaskService } from './tasks/task.service';
import { ToolRegistry } from './tools/tool.registry';
import { LlmProviderRegistry, modelCatalogFor } from './worker/llm-provider.registry';
import { TaskEventPublisher } from './worker/task-event.publisher';
import { TaskControlListener } from './worker/task-control.listener';
import { TaskRunRepository } from './worker/task-run.repository';
import { TaskRunner } from './worker/task-runner';
import { TaskWorker } from './worker/task.worker';

@Module({})
export class AppModule {
  static forRoot(config: TaskConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        BusModule.forRoot({ url: config.NATS_URL, namespace: config.NATS_NAMESPACE, name: `task-${config.TASK_ROLE}` }),
        LoggingModule.forRoot({ service: `task-${config.TASK_ROLE}`, level: config.LOG_LEVEL, format: config.LOG_FORMAT }),
      ],
      controllers: config.TASK_ROLE === 'api' ? [HealthGrpcController, TaskGrpcController] : [],
      providers: [
        { provide: TASK_CONFIG, useValue: config },
        {
          provide: HEALTH_INDICATORS,
          useFactory: (prisma: PrismaService, nats: NatsHealthIndicator) => [new PrismaHealthIndicator(prisma), nats],
          inject: [PrismaService, NatsHealthIndicator],
        },
        { provide: ModelCatalog, useFactory: () => modelCatalogFor(config) },
        { provide: SESSION_CLIENT, useFactory: () => createSessionClient(config) },
        ConversationHistory,
        IdempotencyKeyPurger,
        LlmProviderRegistry,
        OutboxRelay,
        OutboxRepository,
        PrismaService,
        PromptBuilder,
        StrategyRegistry,
        TaskControlListener,
        TaskControlPublisher,
        TaskControlService,
        TaskEventPublisher,
        TaskRepository,
        TaskRunRepository,
        TaskRunner,
        TaskService,
        TaskWorker,
        ToolRegistry,
      ],
    };
  }
}
