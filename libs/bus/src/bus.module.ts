import { type DynamicModule, Global, Module } from '@nestjs/common';
import { BusNames } from '@shannon/contracts';
import { BusPublisher } from './bus-publisher';
import { BUS_OPTIONS, type BusOptions } from './bus.options';
import { DurableConsumerFactory } from './durable-consumer';
import { NatsConnection } from './nats-connection';
import { NatsHealthIndicator } from './nats-health.indicator';
import { StreamSetup } from './stream-setup';

/** NATS JetStream for a service: connection, stream setup, publisher, durable consumers. */
@Global()
@Module({})
export class BusModule {
  static forRoot(options: BusOptions): DynamicModule {
    return {
      module: BusModule,
      providers: [
        { provide: BUS_OPTIONS, useValue: options },
        { provide: BusNames, useValue: new BusNames(options.namespace) },
        {
          provide: NatsConnection,
          useFactory: async (opts: BusOptions) => {
            const connection = new NatsConnection(opts);
            await connection.open();
            return connection;
          },
          inject: [BUS_OPTIONS],
        },
        {
          provide: StreamSetup,
          useFactory: async (nats: NatsConnection, names: BusNames) => {
            const setup = new StreamSetup(nats, names);
            await setup.ensureStreams();
            return setup;
          },
          inject: [NatsConnection, BusNames],
        },
        BusPublisher,
        DurableConsumerFactory,
        NatsHealthIndicator,
      ],
      exports: [BusNames, NatsConnection, StreamSetup, BusPublisher, DurableConsumerFactory, NatsHealthIndicator],
    };
  }
}
