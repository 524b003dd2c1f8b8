import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { jetstream, type JetStreamClient, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection as CoreConnection } from '@nats-io/transport-node';
import { BUS_OPTIONS, type BusOptions } from './bus.options';

/** The process's one NATS connection, opened at start-up and drained at shutdown. */
@Injectable()
export class NatsConnection implements OnApplicationShutdown {
  private readonly logger = new Logger(NatsConnection.name);
  private connection?: CoreConnection;
  private manager?: JetStreamManager;
  private client?: JetStreamClient;

  constructor(@Inject(BUS_OPTIONS) private readonly options: BusOptions) {}

  async open(): Promise<void> {
    this.connection = await connect({
      servers: this.options.url,
      name: this.options.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      // Otherwise every request (each JetStream publish) builds two Error objects up front, stack
      // traces included, for the case it fails: a tenth of a worker's CPU in profiles. Failures
      // still carry their message and cause.
      noAsyncTraces: true,
    });
    this.manager = await jetstreamManager(this.connection);
    this.client = jetstream(this.connection);
    this.logger.log(`Connected to NATS at ${this.connection.getServer()}`);
  }

  get core(): CoreConnection {
    if (!this.connection) {
      throw new Error('NATS connection is not open');
    }
    return this.connection;
  }

  get jetstream(): JetStreamClient {
    if (!this.client) {
      throw new Error('NATS connection is not open');
    }
    return this.client;
  }

  get jsm(): JetStreamManager {
    if (!this.manager) {
      throw new Error('NATS connection is not open');
    }
    return this.manager;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.connection && !this.connection.isClosed()) {
      await this.connection.drain().catch((error: Error) => this.logger.warn(`NATS drain failed: ${error.message}`));
    }
  }
}
