import { type DynamicModule, Module } from '@nestjs/common';
import { BusModule, NatsHealthIndicator } from '@shannon/bus';
import { PrismaHealthIndicator } from '@shannon/db';
import { HEALTH_INDICATORS, HealthGrpcController } from '@shannon/grpc';
import { LoggingModule } from '@shannon/logging';
import { SESSION_CONFIG, type SessionConfig } from './config';
import { PrismaService } from './prisma/prisma.service';
import { SessionRetention } from './retention/session-retention';
import { SessionSweeper } from './retention/session-sweeper';
import { SessionGrpcController } from './sessions/session.grpc.controller';
import { SessionRepository } from './sessions/session.repository';
import { SessionService } from './sessions/session.service';
import { TaskOutcomeReader } from './turns/task-outcome.reader';
import { TurnEventsConsumer } from './turns/turn-events.consumer';
import { TurnGrpcController } from './turns/turn.grpc.controller';
import { TurnRepository } from './turns/turn.repository';
import { TurnService } from './turns/turn.service';

@Module({})
export class AppModule {
  static forRoot(config: SessionConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        BusModule.forRoot({ url: config.NATS_URL, namespace: config.NATS_NAMESPACE, name: 'session' }),
        LoggingModule.forRoot({ service: 'session', level: config.LOG_LEVEL, format: config.LOG_FORMAT }),
      ],
      controllers: [HealthGrpcController, SessionGrpcController, TurnGrpcController],
      providers: [
        { provide: SESSION_CONFIG, useValue: config },
        {
          provide: HEALTH_INDICATORS,
          useFactory: (prisma: PrismaService, nats: NatsHealthIndicator) => [new PrismaHealthIndicator(prisma), nats],
          inject: [PrismaService, NatsHealthIndicator],
        },
        PrismaService,
        SessionRepository,
        SessionRetention,
        SessionService,
        SessionSweeper,
        TaskOutcomeReader,
        TurnEventsConsumer,
        TurnRepository,
        TurnService,
      ],
    };
  }
}
