import { type JetStreamClient, jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { INestMicroservice } from '@nestjs/common';
import { loadConfig } from '@shannon/config';
import { BusNames, StreamingService } from '@shannon/contracts';
import { Migrator } from '@shannon/db';
import { createGrpcClient, type GrpcClient, startGrpcService } from '@shannon/grpc';
import { ensureTestDatabase, freePort, newBusNamespace, removeBusNamespace, waitFor } from '@shannon/testing';
import { join } from 'node:path';
import { AppModule } from '../src/app.module';
import { STREAMING_SCHEMA, streamingConfigSchema } from '../src/config';

export interface StreamingTestApp {
  /** The NATS namespace of its streams (`NATS_NAMESPACE` in `env` starts another app on the same). */
  namespace: string;
  names: BusNames;
  /** A client of the running service. */
  sut: GrpcClient<typeof StreamingService>;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** Resolves once the event-log consumer has acked (so written) every message up to `streamSeq`. */
  waitForEventLogCaughtUp(streamSeq: number): Promise<true>;
  /** A provider of the running service. */
  get: INestMicroservice['get'];
  /** The integration database's URL. */
  databaseUrl: string;
  /** Stops the service only (its namespace's streams stay to be inspected). */
  closeService(): Promise<void>;
  /** Stops the service, removes the namespace's streams and closes the NATS connection. */
  stop(): Promise<void>;
}

/** The streaming service on a free port against the integration database and a NATS namespace of its own. */
export async function startStreamingTestApp(label: string, env: Record<string, string> = {}): Promise<StreamingTestApp> {
  const namespace = env.NATS_NAMESPACE ?? newBusNamespace(label);
  const names = new BusNames(namespace);
  const url = await ensureTestDatabase('shannon_int_test');
  await new Migrator(url, STREAMING_SCHEMA, join(__dirname, '../prisma/migrations')).migrate();
  const port = await freePort();
  const config = loadConfig(streamingConfigSchema, { DATABASE_URL: url, NATS_NAMESPACE: namespace, GRPC_HOST: '127.0.0.1', GRPC_PORT: String(port), LOG_LEVEL: 'warn', ENVIRONMENT: 'test', ...env });
  const app: INestMicroservice = await startGrpcService({ module: AppModule.forRoot(config), services: [StreamingService], host: '127.0.0.1', port });
  const nats: NatsConnection = await connect({ servers: config.NATS_URL, name: `streaming-${label}-int-spec` });
  const jsm = await jetstreamManager(nats);
  let closing: Promise<void> | undefined;
  const closeService = () => (closing ??= app.close());
  return {
    get: app.get.bind(app),
    databaseUrl: url,
    closeService,
    namespace,
    names,
    sut: createGrpcClient(StreamingService, `http://127.0.0.1:${port}`),
    js: jetstream(nats),
    jsm,
    waitForEventLogCaughtUp: (streamSeq) =>
      waitFor(
        async () => {
          const info = await jsm.consumers.info(names.eventsStream, names.eventLogConsumer);
          return info.num_pending === 0 && info.num_ack_pending === 0 && info.ack_floor.stream_seq >= streamSeq;
        },
        { description: 'the event log to ack every event' },
      ),
    stop: async () => {
      await closeService();
      await removeBusNamespace(namespace);
      await nats.close();
    },
  };
}
