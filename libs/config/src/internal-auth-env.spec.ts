import { z } from 'zod';
import { checkInternalAuthSecret, commonEnv, internalAuthEnv } from './env-fragments';
import { loadConfig } from './load-config';

describe(checkInternalAuthSecret.name, () => {
  const schema = z.object({ ...commonEnv, ...internalAuthEnv }).superRefine(checkInternalAuthSecret);

  it('lets development run without a secret (an empty one counts as unset)', () => {
    expect(loadConfig(schema, { ENVIRONMENT: 'test', INTERNAL_AUTH_SECRET: '' }).INTERNAL_AUTH_SECRET).toBeUndefined();
    expect(loadConfig(schema, {}).INTERNAL_AUTH_SECRET).toBeUndefined();
  });

  it('refuses to start elsewhere without one, and a short one anywhere, never printing it', () => {
    expect(() => loadConfig(schema, { ENVIRONMENT: 'production' })).toThrow(/INTERNAL_AUTH_SECRET: must be set/);
    expect(() => loadConfig(schema, { ENVIRONMENT: 'development', INTERNAL_AUTH_SECRET: 'short-secret' })).toThrow(/at least 32 characters \(value hidden\)/);
    expect(() => loadConfig(schema, { ENVIRONMENT: 'production', INTERNAL_AUTH_SECRET: 'short-secret' })).not.toThrow(/short-secret/);
    expect(loadConfig(schema, { ENVIRONMENT: 'production', INTERNAL_AUTH_SECRET: 's'.repeat(32) }).INTERNAL_AUTH_SECRET).toBe('s'.repeat(32));
  });
});
