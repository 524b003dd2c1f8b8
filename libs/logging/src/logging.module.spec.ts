import type { Provider } from '@nestjs/common';
import { PARAMS_PROVIDER_TOKEN, type Params } from 'nestjs-pino';
import { LoggingModule, redactUrl } from './logging.module';

describe('redactUrl', () => {
  it('hides credentials passed in the query string', () => {
    expect(redactUrl('/api/v1/stream/sse?workflow_id=t1&api_key=sk_abc&token=jwt')).toBe(
      '/api/v1/stream/sse?workflow_id=t1&api_key=%5Bredacted%5D&token=%5Bredacted%5D',
    );
  });

  it('leaves other URLs alone', () => {
    expect(redactUrl('/api/v1/tasks?limit=5')).toBe('/api/v1/tasks?limit=5');
    expect(redactUrl('/health')).toBe('/health');
  });
});

describe('LoggingModule', () => {
  const paramsOf = (options: Parameters<typeof LoggingModule.forRoot>[0]): Params =>
    (LoggingModule.forRoot(options).providers as Provider[]).map((provider) => provider as { provide?: unknown; useValue?: Params }).find((provider) => provider.provide === PARAMS_PROVIDER_TOKEN)?.useValue as Params;

  it('gives the routes it is told to leave unlogged no request logger', () => {
    expect(paramsOf({ service: 'gateway', level: 'info', format: 'json', unloggedRoutes: ['api/v1/stream/sse'] }).exclude).toEqual(['api/v1/stream/sse']);
  });

  it('logs every route by default', () => {
    expect(paramsOf({ service: 'task', level: 'info', format: 'json' }).exclude).toBeUndefined();
  });
});
