import { type DynamicModule, Module } from '@nestjs/common';
import { BusModule, NatsHealthIndicator } from '@shannon/bus';
import { PrismaHealthIndicator } from '@shannon/db';
import { HEALTH_INDICATORS, HealthGrpcController } from '@shannon/grpc';
import { LoggingModule } from '@shannon/logging';
import { STREAMING_CONFIG, type StreamingConfig } from './config';
import { EventLogBatchGrpcController } from './events/event-log-batch.grpc.controller';
import { EventLogBatchReader } from './events/event-log-batch.reader';
import { EventLogCatchUp } from './events/event-log.catch-up';
import { EventLogConsumer } from './events/event-log.consumer';
import { EventLogRepository } from './events/event-log.repository';
import { EventLogWriter } from './events/event-log.writer';
import { StreamingGrpcController } from './events/streaming.grpc.controller';
import { PrismaService } from './prisma/prisma.service';
import { RecentTaskEvents } from './subscriptions/recent-task-events';
import { TaskEventBusReader } from './subscriptions/task-event.bus-reader';
import { TaskEventSubscriptions } from './subscriptions/task-event.subscriptions';

@Module({})
export class AppModule {
  static forRoot(config: StreamingConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        BusModule.forRoot({ url: config.NATS_URL, namespace: config.NATS_NAMESPACE, name: 'streaming' }),
        LoggingModule.forRoot({ service: 'streaming', level: config.LOG_LEVEL, format: config.LOG_FORMAT }),
      ],
      controllers: [EventLogBatchGrpcController, HealthGrpcController, StreamingGrpcController],
      providers: [
        { provide: STREAMING_CONFIG, useValue: config },
        {
          provide: HEALTH_INDICATORS,
          useFactory: (prisma: PrismaService, nats: NatsHealthIndicator) => [new PrismaHealthIndicator(prisma), nats],
          inject: [PrismaService, NatsHealthIndicator],
        },
        EventLogBatchReader,
        EventLogCatchUp,
        EventLogConsumer,
        EventLogRepository,
        EventLogWriter,
        PrismaService,
        RecentTaskEvents,
        TaskEventBusReader,
        TaskEventSubscriptions,
      ],
    };
  }
}
