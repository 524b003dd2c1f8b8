import { loadConfig } from '@shannon/config';
import { SessionService } from '@shannon/contracts';
import { Migrator } from '@shannon/db';
import { runGrpcService } from '@shannon/grpc';
import { join } from 'node:path';
import { AppModule } from './app.module';
import { SESSION_SCHEMA, sessionConfigSchema } from './config';

runGrpcService({
  config: () => loadConfig(sessionConfigSchema, process.env),
  migrate: (config) => new Migrator(config.DATABASE_URL, SESSION_SCHEMA, join(__dirname, 'migrations')).migrate(),
  module: (config) => AppModule.forRoot(config),
  services: [SessionService],
});
