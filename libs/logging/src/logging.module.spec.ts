import { redactUrl } from './logging.module';

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
