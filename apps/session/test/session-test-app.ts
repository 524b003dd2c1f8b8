import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { INestMicroservice } from '@nestjs/common';
import { type CallerIdentity, identityHeaders } from '@shannon/auth';
import { loadConfig } from '@shannon/config';
import { BusNames, SessionService } from '@shannon/contracts';
import { Migrator } from '@shannon/db';
import { createGrpcClient, type GrpcClient, startGrpcService } from '@shannon/grpc';
import { connectTestDatabase, ensureTestDatabase, freePort, newBusNamespace } from '@shannon/testing';
import { join } from 'node:path';
import type { Client } from 'pg';
import { AppModule } from '../src/app.module';
import { SESSION_SCHEMA, sessionConfigSchema } from '../src/config';

export interface SessionTestApp {
  app: INestMicroservice;
  client: GrpcClient<typeof SessionService>;
  db: Client;
  databaseUrl: string;
  names: BusNames;
  natsUrl: string;
  stop(): Promise<void>;
}

/** Call options that carry a caller's identity. */
export const as = (identity: CallerIdentity) => ({ headers: identityHeaders(identity) });

/** The session service in-process over real gRPC, on the shared integration database and a NATS namespace of its own. */
export async function startSessionApp(env: Record<string, string> = {}, database = 'shannon_int_test'): Promise<SessionTestApp> {
  const url = await ensureTestDatabase(database);
  await new Migrator(url, SESSION_SCHEMA, join(__dirname, '../prisma/migrations')).migrate();
  const port = await freePort();
  const namespace = newBusNamespace('session');
  const config = loadConfig(sessionConfigSchema, {
    DATABASE_URL: url,
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: String(port),
    NATS_NAMESPACE: namespace,
    // No task service runs here: outcome look-ups fail fast and are retried by the bus.
    TASK_GRPC_URL: `http://127.0.0.1:${await freePort()}`,
    LOG_LEVEL: 'warn',
    ENVIRONMENT: 'test',
    ...env,
  });
  const app = await startGrpcService({ module: AppModule.forRoot(config), services: [SessionService], host: '127.0.0.1', port });
  const db = await connectTestDatabase(url);
  const names = new BusNames(namespace);
  return {
    app,
    client: createGrpcClient(SessionService, `http://127.0.0.1:${port}`),
    db,
    databaseUrl: url,
    names,
    natsUrl: config.NATS_URL,
    async stop() {
      await app.close();
      await db.end();
      const nats = await connect({ servers: config.NATS_URL });
      const jsm = await jetstreamManager(nats);
      for (const stream of [names.tasksStream, names.eventsStream]) {
        await jsm.streams.delete(stream).catch(() => undefined);
      }
      await nats.close();
    },
  };
}
