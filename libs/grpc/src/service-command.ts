import type { DescService } from '@bufbuild/protobuf';
import type { DynamicModule } from '@nestjs/common';
import { ConfigError } from '@shannon/config';
import { useInternalAuthSecret } from '@shannon/auth';
import { HealthService } from '@shannon/contracts';
import { createGrpcClient } from './grpc-client';
import { startGrpcService } from './grpc-server';

export interface ServiceCommands {
  /** Applies the service's own migrations. */
  migrate?: () => Promise<void>;
  /** Starts the service (and applies migrations first when configured to). */
  serve: () => Promise<unknown>;
  /** Whether this process answers its health check, for `healthcheck` (container probes). */
  healthcheck: () => Promise<boolean>;
}

/**
 * The entry point of every service: `node main.js [serve|migrate|healthcheck]`. A bad environment
 * prints every problem and exits 1 without a stack trace.
 */
export function runServiceCommand(commands: ServiceCommands, argv = process.argv): void {
  const command = argv[2] ?? 'serve';
  const run = async (): Promise<void> => {
    switch (command) {
      case 'serve':
        await commands.serve();
        return;
      case 'migrate':
        if (!commands.migrate) {
          throw new Error('This service has no migrations');
        }
        await commands.migrate();
        process.exit(0);
        return;
      case 'healthcheck':
        process.exit((await commands.healthcheck()) ? 0 : 1);
        return;
      default:
        throw new Error(`Unknown command "${command}" (expected serve, migrate or healthcheck)`);
    }
  };
  run().catch((error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `Start-up failed: ${(error as Error).stack ?? String(error)}`}\n`);
    process.exit(1);
  });
}

export interface GrpcServiceConfig {
  GRPC_HOST: string;
  GRPC_PORT: number;
  MIGRATE_ON_START: boolean;
  INTERNAL_AUTH_SECRET?: string;
}

export interface GrpcServiceMain<C extends GrpcServiceConfig> {
  config: () => C;
  migrate: (config: C) => Promise<unknown>;
  module: (config: C) => DynamicModule;
  services: DescService[];
}

/** main.ts of a data-owning gRPC service: migrate (when configured) and serve. */
export function runGrpcService<C extends GrpcServiceConfig>(main: GrpcServiceMain<C>): void {
  runServiceCommand({
    migrate: async () => {
      await main.migrate(main.config());
    },
    serve: async () => {
      const config = main.config();
      useInternalAuthSecret(config.INTERNAL_AUTH_SECRET);
      if (config.MIGRATE_ON_START) {
        await main.migrate(config);
      }
      return startGrpcService({ module: main.module(config), services: main.services, host: config.GRPC_HOST, port: config.GRPC_PORT });
    },
    healthcheck: () => grpcHealthcheck(main.config().GRPC_PORT),
  });
}

/** A container probe: the gRPC health service on this machine answers ready. */
export async function grpcHealthcheck(port: number): Promise<boolean> {
  const client = createGrpcClient(HealthService, `http://127.0.0.1:${port}`);
  const answer = await client.check({}, { timeoutMs: 3_000 });
  return answer.ready;
}
