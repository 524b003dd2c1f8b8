import { AuthService, HealthService, SessionService, StreamingService, TaskService } from '@shannon/contracts';
import { createGrpcClient, type GrpcClient } from '@shannon/grpc';
import type { GatewayConfig } from '../config';

/** Typed gRPC clients for the four internal services (and their health checks). */
export class InternalClients {
  readonly auth: GrpcClient<typeof AuthService>;
  readonly session: GrpcClient<typeof SessionService>;
  readonly task: GrpcClient<typeof TaskService>;
  readonly streaming: GrpcClient<typeof StreamingService>;
  readonly health: Record<'auth' | 'session' | 'task' | 'streaming', GrpcClient<typeof HealthService>>;

  constructor(config: GatewayConfig) {
    this.auth = createGrpcClient(AuthService, config.AUTH_GRPC_URL);
    this.session = createGrpcClient(SessionService, config.SESSION_GRPC_URL);
    this.task = createGrpcClient(TaskService, config.TASK_GRPC_URL);
    this.streaming = createGrpcClient(StreamingService, config.STREAMING_GRPC_URL);
    this.health = {
      auth: createGrpcClient(HealthService, config.AUTH_GRPC_URL),
      session: createGrpcClient(HealthService, config.SESSION_GRPC_URL),
      task: createGrpcClient(HealthService, config.TASK_GRPC_URL),
      streaming: createGrpcClient(HealthService, config.STREAMING_GRPC_URL),
    };
  }
}
