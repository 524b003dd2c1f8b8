import { NestFactory } from '@nestjs/core';
import { useInternalAuthSecret } from '@shannon/auth';
import { loadConfig } from '@shannon/config';
import { TaskService } from '@shannon/contracts';
import { Migrator } from '@shannon/db';
import { grpcHealthcheck, runServiceCommand, startGrpcService } from '@shannon/grpc';
import { Logger } from 'nestjs-pino';
import { join } from 'node:path';
import { AppModule } from './app.module';
import { TASK_SCHEMA, type TaskConfig, taskConfigSchema } from './config';
import { lowerCpuPriority } from './worker/cpu-priority';

const config = () => loadConfig(taskConfigSchema, process.env);
const migrate = (cfg: TaskConfig) => new Migrator(cfg.DATABASE_URL, TASK_SCHEMA, join(__dirname, 'migrations')).migrate();

/** One image, two roles: `api` serves gRPC and relays the outbox, `worker` runs tasks. */
async function startWorker(cfg: TaskConfig) {
  lowerCpuPriority(cfg.WORKER_NICENESS);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(cfg), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  return app;
}

runServiceCommand({
  migrate: async () => {
    await migrate(config());
  },
  serve: async () => {
    const cfg = config();
    useInternalAuthSecret(cfg.INTERNAL_AUTH_SECRET);
    if (cfg.MIGRATE_ON_START) {
      await migrate(cfg);
    }
    if (cfg.TASK_ROLE === 'worker') {
      return startWorker(cfg);
    }
    return startGrpcService({ module: AppModule.forRoot(cfg), services: [TaskService], host: cfg.GRPC_HOST, port: cfg.GRPC_PORT });
  },
  healthcheck: async () => {
    if (config().TASK_ROLE !== 'api') {
      // compose disables the probe for workers: they serve no port.
      throw new Error('The worker role serves no health endpoint; probe the task api replica');
    }
    return grpcHealthcheck(config().GRPC_PORT);
  },
});
