import type Redis from 'ioredis';

/**
 * One token bucket per key, in Redis, shared by every gateway replica. The scripts run atomically
 * and read Redis's own clock, so replicas with skewed clocks agree. A bucket holds at most
 * `capacity` tokens and gains `perMinute` tokens a minute; each request takes one. A bucket
 * nobody has taken from (or whose key expired) is full.
 *
 * REFILL leaves `tokens` at what the bucket holds now (ARGV: capacity, tokens per minute).
 */
const REFILL = `
local capacity = tonumber(ARGV[1])
local per_ms = tonumber(ARGV[2]) / 60000
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
end
if now > at then
  tokens = tokens + (now - at) * per_ms
  at = now
end
tokens = math.min(capacity, tokens)
`;

/** Takes a token. Returns {allowed (0|1), tokens left (string), ms until the next token, ms until full, now}. */
const TAKE_SCRIPT = `${REFILL}
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
local until_full = math.ceil((capacity - tokens) / per_ms)
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', at)
redis.call('PEXPIRE', KEYS[1], until_full + 1000)
local until_next = 0
if tokens < 1 then
  until_next = math.ceil((1 - tokens) / per_ms)
end
return {allowed, tostring(tokens), until_next, until_full, now}
`;

/** Reads the bucket without taking from it or writing anything. Returns the tokens in it (string). */
const LEVEL_SCRIPT = `${REFILL}
return tostring(tokens)
`;

export interface BucketLimits {
  /** Most requests at once (the bucket's size). */
  capacity: number;
  /** Sustained rate: tokens added per minute. */
  perMinute: number;
}

export interface BucketDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until a request would be allowed again (0 when tokens are left). */
  retryAfterMs: number;
  /** Unix milliseconds (Redis clock) when the bucket is full again. */
  resetAtMs: number;
}

type TakeCommand = (key: string, capacity: number, perMinute: number) => Promise<[number, string, number, number, number]>;
type LevelCommand = (key: string, capacity: number, perMinute: number) => Promise<string>;

/** A bucket's fractional level as the whole requests it allows. */
const wholeTokens = (tokens: string): number => Math.max(0, Math.floor(Number(tokens)));

/** The script as a command on this connection (defined once per connection). */
function scriptCommand<T>(redis: Redis, name: string, lua: string): T {
  if (!(name in redis)) {
    redis.defineCommand(name, { numberOfKeys: 1, lua });
  }
  return ((redis as unknown as Record<string, (...args: unknown[]) => unknown>)[name]).bind(redis) as T;
}

export class RedisTokenBucket {
  private readonly take: TakeCommand;
  private readonly level: LevelCommand;

  constructor(
    redis: Redis,
    private readonly prefix = 'ratelimit:',
  ) {
    this.take = scriptCommand<TakeCommand>(redis, 'shannonTakeToken', TAKE_SCRIPT);
    this.level = scriptCommand<LevelCommand>(redis, 'shannonTokenLevel', LEVEL_SCRIPT);
  }

  async consume(key: string, limits: BucketLimits): Promise<BucketDecision> {
    const [allowed, tokens, untilNext, untilFull, now] = await this.take(`${this.prefix}${key}`, limits.capacity, limits.perMinute);
    return {
      allowed: allowed === 1,
      limit: limits.capacity,
      remaining: wholeTokens(tokens),
      retryAfterMs: untilNext,
      resetAtMs: now + untilFull,
    };
  }

  /** Whole tokens in the bucket now (requests that would pass back to back), taking none. */
  async available(key: string, limits: BucketLimits): Promise<number> {
    return wholeTokens(await this.level(`${this.prefix}${key}`, limits.capacity, limits.perMinute));
  }
}
