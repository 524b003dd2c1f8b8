import { ValidationError } from '@shannon/errors';
import { idempotencyScope, idempotentSessionId, readIdempotencyKey, requestHash } from './idempotency-key';

describe(readIdempotencyKey.name, () => {
  it('reads the seed’s key, trimmed, and nothing when absent', () => {
    expect(readIdempotencyKey({ 'idempotency-key': ' 550e8400-e29b-41d4-a716-446655440000 ' })).toBe('550e8400-e29b-41d4-a716-446655440000');
    expect(readIdempotencyKey({})).toBeUndefined();
  });

  it.each(['', '   ', 'with space', 'x'.repeat(256), 'caf\u00e9', 'line\nbreak'])('refuses %j with a 400', (key) => {
    expect(() => readIdempotencyKey({ 'idempotency-key': key })).toThrow(new ValidationError('Invalid Idempotency-Key (1 to 255 printable ASCII characters)'));
  });
});

describe(requestHash.name, () => {
  it('is the same for the same request sent with other spacing or key order', () => {
    expect(requestHash('POST', '/api/v1/tasks', { query: 'q', context: { a: 1, b: [1, { y: 2, x: 1 }] } })).toBe(
      requestHash('POST', '/api/v1/tasks', { context: { b: [1, { x: 1, y: 2 }], a: 1 }, query: 'q' }),
    );
  });

  it('differs with the body, the path or the method', () => {
    const base = requestHash('POST', '/api/v1/tasks', { query: 'q' });
    expect(requestHash('POST', '/api/v1/tasks', { query: 'Q' })).not.toBe(base);
    expect(requestHash('POST', '/api/v1/tasks/stream', { query: 'q' })).not.toBe(base);
    expect(requestHash('PUT', '/api/v1/tasks', { query: 'q' })).not.toBe(base);
    expect(requestHash('POST', '/api/v1/tasks', { query: 'q', extra: null })).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe(idempotentSessionId.name, () => {
  const caller = { tenantId: 't1', userId: 'u1' };

  it('derives one UUID per caller and key', () => {
    const id = idempotentSessionId(caller, 'k');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(idempotentSessionId(caller, 'k')).toBe(id);
    expect(idempotentSessionId(caller, 'other')).not.toBe(id);
    expect(idempotentSessionId({ ...caller, tenantId: 't2' }, 'k')).not.toBe(id);
  });
});

describe(idempotencyScope.name, () => {
  it('scopes the key to the caller and never holds it in clear', () => {
    const scope = idempotencyScope({ tenantId: 't1', userId: 'u1' }, 'secret-ish-key');
    expect(scope).toMatch(/^t1:u1:[0-9a-f]{64}$/);
    expect(scope).not.toContain('secret-ish-key');
  });
});
