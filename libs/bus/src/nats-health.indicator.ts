import { Injectable } from '@nestjs/common';
import type { HealthIndicator } from '@shannon/grpc';
import { NatsConnection } from './nats-connection';

/** Readiness of the bus: the connection answers a round trip and JetStream answers. */
@Injectable()
export class NatsHealthIndicator implements HealthIndicator {
  readonly name = 'nats';

  constructor(private readonly nats: NatsConnection) {}

  async check(): Promise<void> {
    await this.nats.core.flush();
    await this.nats.jsm.getAccountInfo();
  }
}
