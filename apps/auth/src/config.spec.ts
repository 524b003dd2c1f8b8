import { ConfigError, loadConfig } from '@shannon/config';
import { authConfigSchema, DEVELOPMENT_JWT_SECRET, jwtSecret } from './config';

describe('auth configuration', () => {
  const base = { DATABASE_URL: 'postgresql://127.0.0.1/shannon' };

  it('uses the development secret only in development environments', () => {
    const config = loadConfig(authConfigSchema, { ...base, ENVIRONMENT: 'development', JWT_SECRET: '' });
    expect(jwtSecret(config)).toBe(DEVELOPMENT_JWT_SECRET);
    expect(config).toMatchObject({ ACCESS_TOKEN_TTL_SECONDS: 3600, REFRESH_TOKEN_TTL_DAYS: 30, PASSWORD_HASH_COST: 17 });
  });

  it('requires a JWT_SECRET of 32+ characters elsewhere, without printing it', () => {
    expect(() => loadConfig(authConfigSchema, { ...base, ENVIRONMENT: 'production' })).toThrow(/JWT_SECRET must be set \(at least 32 characters\)/);
    expect(() => loadConfig(authConfigSchema, { ...base, ENVIRONMENT: 'production', JWT_SECRET: 'short-secret' })).toThrow(ConfigError);
    expect(() => loadConfig(authConfigSchema, { ...base, ENVIRONMENT: 'production', JWT_SECRET: 'short-secret' })).not.toThrow(/short-secret/);
    const secret = 'p'.repeat(32);
    expect(jwtSecret(loadConfig(authConfigSchema, { ...base, ENVIRONMENT: 'production', JWT_SECRET: secret, INTERNAL_AUTH_SECRET: 'i'.repeat(32) }))).toBe(secret);
  });
});
