import { waitFor } from '@shannon/testing';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { RedisIdempotencyStore } from './redis-idempotency.store';

describe(RedisIdempotencyStore.name, () => {
  let redis: Redis;
  let sut: RedisIdempotencyStore;
  const response = { headers: { 'x-workflow-id': 'task_1' }, body: { id: 'k1' } };

  beforeAll(() => {
    redis = new Redis('redis://127.0.0.1:6379');
  });

  beforeEach(() => {
    sut = new RedisIdempotencyStore(redis, 60_000, `test:${randomUUID()}:`);
  });

  afterAll(() => {
    redis.disconnect();
  });

  it('lets one of several concurrent claims run; the others see it pending, then replay its response', async () => {
    const claims = await Promise.all(Array.from({ length: 10 }, () => sut.claim('scope', 'fp')));
    const acquired = claims.filter((c) => c.kind === 'acquired');
    expect(acquired).toHaveLength(1);
    expect(claims.filter((c) => c.kind === 'pending')).toHaveLength(9);

    await sut.complete('scope', acquired[0].kind === 'acquired' ? acquired[0].token : '', 'fp', response, 60_000);
    await expect(sut.claim('scope', 'fp')).resolves.toEqual({ kind: 'replay', response });
  });

  it('refuses the key with another request, pending or done', async () => {
    const first = await sut.claim('scope', 'fp');
    await expect(sut.claim('scope', 'other')).resolves.toEqual({ kind: 'conflict' });
    await sut.complete('scope', first.kind === 'acquired' ? first.token : '', 'fp', response, 60_000);
    await expect(sut.claim('scope', 'other')).resolves.toEqual({ kind: 'conflict' });
  });

  it('frees the key when the first request fails, so a retry runs', async () => {
    const first = await sut.claim('scope', 'fp');
    await sut.release('scope', first.kind === 'acquired' ? first.token : '');
    await expect(sut.claim('scope', 'fp')).resolves.toMatchObject({ kind: 'acquired' });
  });

  it('ignores a completion or release by someone who does not hold the claim', async () => {
    await sut.claim('scope', 'fp');
    await sut.complete('scope', 'not-the-token', 'fp', response, 60_000);
    await sut.release('scope', 'not-the-token');
    await expect(sut.claim('scope', 'fp')).resolves.toEqual({ kind: 'pending' });
  });

  it('keeps a finished response only for its time to live', async () => {
    const first = await sut.claim('scope', 'fp');
    await sut.complete('scope', first.kind === 'acquired' ? first.token : '', 'fp', response, 50);
    await expect(sut.claim('scope', 'fp')).resolves.toEqual({ kind: 'replay', response });
    const next = await waitFor(async () => {
      const claim = await sut.claim('scope', 'fp');
      return claim.kind === 'acquired' ? claim : undefined;
    }, { description: 'the stored response to expire' });
    expect(next.kind).toBe('acquired');
  });
});
