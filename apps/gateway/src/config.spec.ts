import { ConfigError, loadConfig } from '@shannon/config';
import { gatewayConfigSchema } from './config';

describe('gateway configuration', () => {
  it('has the documented rate limit defaults', () => {
    expect(loadConfig(gatewayConfigSchema, {})).toMatchObject({ RATE_LIMIT_ENABLED: true, RATE_LIMIT_RPM: 60, RATE_LIMIT_BURST: 60, RATE_LIMIT_PLANS: {}, AUTH_RATE_LIMIT_RPM: 30 });
  });

  it('reads per-plan limits as JSON', () => {
    expect(loadConfig(gatewayConfigSchema, { RATE_LIMIT_PLANS: '{"pro":{"rpm":300,"burst":100}}' }).RATE_LIMIT_PLANS).toEqual({ pro: { rpm: 300, burst: 100 } });
  });

  it.each([
    [{ RATE_LIMIT_PLANS: 'not json' }, /RATE_LIMIT_PLANS: must be JSON/],
    [{ RATE_LIMIT_PLANS: '{"pro":{"rpm":0,"burst":1}}' }, /RATE_LIMIT_PLANS/],
    [{ RATE_LIMIT_RPM: '0' }, /RATE_LIMIT_RPM/],
    [{ GATEWAY_SKIP_AUTH: '1', ENVIRONMENT: 'production' }, /GATEWAY_SKIP_AUTH=1 is only allowed when ENVIRONMENT is dev, development or test/],
  ])('refuses %j naming the key', (env, message) => {
    expect(() => loadConfig(gatewayConfigSchema, env)).toThrow(ConfigError);
    expect(() => loadConfig(gatewayConfigSchema, env)).toThrow(message);
  });

  it.each(['dev', 'development', 'test', 'DEV'])('allows skip-auth in %s', (environment) => {
    expect(loadConfig(gatewayConfigSchema, { GATEWAY_SKIP_AUTH: '1', ENVIRONMENT: environment }).GATEWAY_SKIP_AUTH).toBe(true);
  });
});
