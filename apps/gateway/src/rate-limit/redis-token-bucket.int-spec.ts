import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { RedisTokenBucket } from './redis-token-bucket';

/** Against the local Redis: two instances stand for two gateway replicas. */
describe(RedisTokenBucket.name, () => {
  let first: Redis;
  let second: Redis;

  beforeAll(() => {
    first = new Redis('redis://127.0.0.1:6379');
    second = new Redis('redis://127.0.0.1:6379');
  });

  afterAll(() => {
    first.disconnect();
    second.disconnect();
  });

  it('lets a burst through, then refuses with the time to the next token', async () => {
    const sut = new RedisTokenBucket(first, `test:${randomUUID()}:`);
    const limits = { capacity: 3, perMinute: 6 };
    const decisions = [];
    for (let i = 0; i < 4; i += 1) {
      decisions.push(await sut.consume('caller', limits));
    }
    expect(decisions.map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    // 6 a minute: a token every 10 s; a little of it has passed since the last take.
    expect(decisions[3].retryAfterMs).toBeGreaterThan(8_000);
    expect(decisions[3].retryAfterMs).toBeLessThanOrEqual(10_000);
    expect(decisions[3].limit).toBe(3);
    expect(decisions[3].resetAtMs).toBeGreaterThan(Date.now() + 20_000);
  });

  it('is shared by replicas: concurrent takes from two connections never exceed the bucket', async () => {
    const prefix = `test:${randomUUID()}:`;
    const replicas = [new RedisTokenBucket(first, prefix), new RedisTokenBucket(second, prefix)];
    const decisions = await Promise.all(Array.from({ length: 40 }, (_, i) => replicas[i % 2].consume('caller', { capacity: 10, perMinute: 1 })));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
  });

  it('keeps callers apart and refills over time', async () => {
    const prefix = `test:${randomUUID()}:`;
    const sut = new RedisTokenBucket(first, prefix);
    await sut.consume('a', { capacity: 1, perMinute: 60 });
    expect((await sut.consume('a', { capacity: 1, perMinute: 60 })).allowed).toBe(false);
    expect((await sut.consume('b', { capacity: 1, perMinute: 60 })).allowed).toBe(true);
    // Pretend the last take was two seconds ago (60 a minute: two tokens, capped at the capacity of 1).
    await first.hset(`${prefix}a`, 'at', String(Number(await first.hget(`${prefix}a`, 'at')) - 2_000));
    expect(await sut.consume('a', { capacity: 1, perMinute: 60 })).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('applies a smaller capacity at once when a limit is lowered', async () => {
    const sut = new RedisTokenBucket(first, `test:${randomUUID()}:`);
    await sut.consume('caller', { capacity: 100, perMinute: 100 });
    expect((await sut.consume('caller', { capacity: 2, perMinute: 100 })).remaining).toBe(1);
  });

  it('tells how many tokens are left without taking one: full when untouched, then what the takes left', async () => {
    const sut = new RedisTokenBucket(first, `test:${randomUUID()}:`);
    const limits = { capacity: 5, perMinute: 1 };
    expect(await sut.available('caller', limits)).toBe(5);
    await sut.consume('caller', limits);
    await sut.consume('caller', limits);
    expect(await sut.available('caller', limits)).toBe(3);
    expect(await sut.available('caller', limits)).toBe(3);
    expect((await sut.consume('caller', limits)).remaining).toBe(2);
  });

  it('counts the refill since the last take when asked how many are left', async () => {
    const prefix = `test:${randomUUID()}:`;
    const sut = new RedisTokenBucket(first, prefix);
    const limits = { capacity: 10, perMinute: 6 };
    for (let i = 0; i < 10; i += 1) {
      await sut.consume('caller', limits);
    }
    expect(await sut.available('caller', limits)).toBe(0);
    // Pretend the last take was 35 seconds ago: a token every 10 s, so three whole tokens.
    await first.hset(`${prefix}caller`, 'at', String(Number(await first.hget(`${prefix}caller`, 'at')) - 35_000));
    expect(await sut.available('caller', limits)).toBe(3);
  });
});
