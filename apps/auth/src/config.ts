import { checkInternalAuthSecret, commonEnv, databaseEnv, grpcServerEnv, internalAuthEnv, isDevelopmentEnvironment } from '@shannon/config';
import { z } from 'zod';

/** Used only when ENVIRONMENT is a development one and JWT_SECRET is not set. */
export const DEVELOPMENT_JWT_SECRET = 'development-only-secret-change-in-production';

export const authConfigSchema = z
  .object({
    ...commonEnv,
    ...internalAuthEnv,
    ...databaseEnv,
    ...grpcServerEnv(50051),
    /** HS256 key of access tokens (secret). Required outside development; at least 32 characters. */
    JWT_SECRET: z
      .string()
      .optional()
      .transform((value) => value || undefined),
    /** `iss` of access tokens; tokens from another issuer are refused. */
    JWT_ISSUER: z.string().min(1).default('shannon-platform'),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3_600),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    /** log2 of scrypt's cost N (memory = 128 * 8 * 2^N bytes: 17 -> 128 MiB, the OWASP minimum). */
    PASSWORD_HASH_COST: z.coerce.number().int().min(10).max(20).default(17),
  })
  .refine((cfg) => isDevelopmentEnvironment(cfg.ENVIRONMENT) || (cfg.JWT_SECRET?.length ?? 0) >= 32, {
    message: 'JWT_SECRET must be set (at least 32 characters) when ENVIRONMENT is not dev, development or test',
    path: ['JWT_SECRET'],
  })
  .refine((cfg) => cfg.JWT_SECRET === undefined || cfg.JWT_SECRET.length >= 32, {
    message: 'JWT_SECRET must be at least 32 characters',
    path: ['JWT_SECRET'],
  })
  .superRefine(checkInternalAuthSecret);

export type AuthConfig = z.infer<typeof authConfigSchema>;

/** The key access tokens are signed with (the development one only in development). */
export function jwtSecret(config: Pick<AuthConfig, 'JWT_SECRET'>): string {
  return config.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET;
}

export const AUTH_CONFIG = Symbol('AUTH_CONFIG');
export const AUTH_SCHEMA = 'auth';
