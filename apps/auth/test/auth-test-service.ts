import type { INestMicroservice } from '@nestjs/common';
import { useInternalAuthSecret } from '@shannon/auth';
import { loadConfig } from '@shannon/config';
import { AuthService } from '@shannon/contracts';
import { createGrpcClient, type GrpcClient, startGrpcService } from '@shannon/grpc';
import { freePort } from '@shannon/testing';
import { join } from 'node:path';
import { AppModule } from '../src/app.module';
import { authConfigSchema } from '../src/config';

export const MIGRATIONS = join(__dirname, '../prisma/migrations');
export const TEST_JWT_SECRET = 'integration-test-secret-0123456789abcdef';
const TEST_INTERNAL_AUTH_SECRET = 'integration-test-internal-secret-0123456789';

/** The auth service on a free port (low password-hash cost: the tests are about behaviour). */
export async function startAuth(
  databaseUrl: string,
  environment: string,
  env: Record<string, string> = {},
): Promise<{ app: INestMicroservice; client: GrpcClient<typeof AuthService> }> {
  const port = await freePort();
  const config = loadConfig(authConfigSchema, {
    DATABASE_URL: databaseUrl,
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: String(port),
    LOG_LEVEL: 'error',
    ENVIRONMENT: environment,
    JWT_SECRET: TEST_JWT_SECRET,
    INTERNAL_AUTH_SECRET: TEST_INTERNAL_AUTH_SECRET,
    PASSWORD_HASH_COST: '12',
    ...env,
  });
  // As the service's entry point does: its callers here sign with the same secret.
  useInternalAuthSecret(config.INTERNAL_AUTH_SECRET);
  const app = await startGrpcService({ module: AppModule.forRoot(config), services: [AuthService], host: '127.0.0.1', port });
  return { app, client: createGrpcClient(AuthService, `http://127.0.0.1:${port}`) };
}
