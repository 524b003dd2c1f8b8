import { z } from 'zod';

/** Environments in which development shortcuts (skip-auth, the test key) are allowed. */
export const DEVELOPMENT_ENVIRONMENTS = ['dev', 'development', 'test'] as const;

const booleanFlag = (fallback: boolean) =>
  z
    .enum(['0', '1', 'true', 'false'], { message: 'must be 0, 1, true or false' })
    .default(fallback ? '1' : '0')
    .transform((v) => v === '1' || v === 'true');

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL (${protocols.join(' or ')})` },
  );

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

export const commonEnv = {
  ENVIRONMENT: z.string().min(1).default('development'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
};

export const databaseEnv = {
  DATABASE_URL: url(['postgres:', 'postgresql:']),
  MIGRATE_ON_START: booleanFlag(false),
};

export const natsEnv = {
  NATS_URL: url(['nats:', 'tls:']).default('nats://127.0.0.1:4222'),
  /** Prefix for stream, subject and consumer names; keeps test runs apart. Empty in production. */
  NATS_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9_]*$/, 'must be lower-case letters, digits or _')
    .default(''),
};

/** The secret the services sign and check the caller identity of internal calls with (docs/adr/0048); empty counts as unset. */
export const internalAuthEnv = {
  INTERNAL_AUTH_SECRET: z
    .string()
    .optional()
    .transform((value) => value || undefined),
};

/**
 * Every service's rule for INTERNAL_AUTH_SECRET (`schema.superRefine(checkInternalAuthSecret)`):
 * required outside development, where without it anyone who reaches an internal port could act
 * as any tenant; at least 32 characters when set.
 */
export function checkInternalAuthSecret(config: { ENVIRONMENT: string; INTERNAL_AUTH_SECRET?: string }, ctx: z.RefinementCtx): void {
  const secret = config.INTERNAL_AUTH_SECRET;
  if (secret !== undefined && secret.length < 32) {
    ctx.addIssue({ code: 'custom', message: 'must be at least 32 characters', path: ['INTERNAL_AUTH_SECRET'] });
  } else if (secret === undefined && !isDevelopmentEnvironment(config.ENVIRONMENT)) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be set (at least 32 characters, the same in every service) when ENVIRONMENT is not dev, development or test: internal calls are signed with it',
      path: ['INTERNAL_AUTH_SECRET'],
    });
  }
}

export const redisEnv = {
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
};

export const grpcServerEnv = (defaultPort: number) => ({
  GRPC_HOST: z.string().min(1).default('0.0.0.0'),
  GRPC_PORT: port(defaultPort),
});

export const grpcClientUrl = (fallback: string) => url(['http:', 'https:']).default(fallback);

export const envFlag = booleanFlag;
export const envPort = port;

export function isDevelopmentEnvironment(environment: string): boolean {
  return (DEVELOPMENT_ENVIRONMENTS as readonly string[]).includes(environment.toLowerCase());
}
