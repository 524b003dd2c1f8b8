import { loadConfig } from '@shannon/config';
import { StreamingService } from '@shannon/contracts';
import { Migrator } from '@shannon/db';
import { runGrpcService } from '@shannon/grpc';
import { join } from 'node:path';
import { AppModule } from './app.module';
import { STREAMING_SCHEMA, streamingConfigSchema } from './config';

runGrpcService({
  config: () => loadConfig(streamingConfigSchema, process.env),
  migrate: (config) => new Migrator(config.DATABASE_URL, STREAMING_SCHEMA, join(__dirname, 'migrations')).migrate(),
  module: (config) => AppModule.forRoot(config),
  services: [StreamingService],
});
