import { z } from 'zod';
import { databaseEnv, envFlag, grpcServerEnv, natsEnv } from './env-fragments';
import { ConfigError, loadConfig } from './load-config';

describe(loadConfig.name, () => {
  const schema = z.object({ ...databaseEnv, ...natsEnv, ...grpcServerEnv(50051), FLAG: envFlag(true) });

  it('returns typed values with defaults', () => {
    const sut = loadConfig(schema, { DATABASE_URL: 'postgresql://localhost/x' });
    expect(sut).toEqual({
      DATABASE_URL: 'postgresql://localhost/x',
      MIGRATE_ON_START: false,
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_NAMESPACE: '',
      GRPC_HOST: '0.0.0.0',
      GRPC_PORT: 50051,
      FLAG: true,
    });
  });

  it('names every bad key at once and hides secrets', () => {
    const bad = { DATABASE_URL: 'mysql://u:pw@h/db', GRPC_PORT: '99999', FLAG: 'yes', NATS_URL: 'x' };
    expect(() => loadConfig(schema, bad)).toThrow(ConfigError);
    {
      const error = captureError(() => loadConfig(schema, bad));
      const problems = error.problems.join('\n');
      expect(problems).toMatch(/DATABASE_URL: .*\(value hidden\)/);
      expect(problems).toMatch(/GRPC_PORT: .*"99999"/);
      expect(problems).toMatch(/FLAG: must be 0, 1, true or false/);
      expect(problems).toMatch(/NATS_URL: must be a URL/);
      expect(problems).not.toContain('pw');
    }
  });
});

function captureError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('expected an error');
}
