import { loadConfig } from '@shannon/config';
import { AuthService } from '@shannon/contracts';
import { Migrator } from '@shannon/db';
import { runGrpcService } from '@shannon/grpc';
import { join } from 'node:path';
import { AppModule } from './app.module';
import { AUTH_SCHEMA, authConfigSchema } from './config';

runGrpcService({
  config: () => loadConfig(authConfigSchema, process.env),
  migrate: (config) => new Migrator(config.DATABASE_URL, AUTH_SCHEMA, join(__dirname, 'migrations')).migrate(),
  module: (config) => AppModule.forRoot(config),
  services: [AuthService],
});
