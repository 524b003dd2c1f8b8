import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';

export interface StoredResponse {
  headers: Record<string, string>;
  body: unknown;
}

interface Record_ {
  state: 'pending' | 'done';
  fingerprint: string;
  token?: string;
  response?: StoredResponse;
}

export type Claim =
  | { kind: 'acquired'; token: string }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'pending' }
  | { kind: 'conflict' };

/** Replaces the record only while it is still the pending one `token` claimed. */
const SWAP_IF_OWNER = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
if cjson.decode(current)['token'] ~= ARGV[1] then return 0 end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return 1
`;

type SwapCommand = (key: string, token: string, value: string, ttlMs: number) => Promise<number>;

/**
 * Idempotency records of POSTs other than task submit, in Redis (shared by replicas). A claim is
 * a pending record written with SET NX, so of two concurrent requests one runs and the other
 * waits; the finished response replaces it for `ttlMs`. A failed request releases its claim.
 */
export class RedisIdempotencyStore {
  private readonly swap: SwapCommand;

  constructor(
    private readonly redis: Redis,
    private readonly pendingTtlMs = 60_000,
    private readonly prefix = 'idempotency:',
  ) {
    if (!('shannonIdempotencySwap' in redis)) {
      redis.defineCommand('shannonIdempotencySwap', { numberOfKeys: 1, lua: SWAP_IF_OWNER });
    }
    this.swap = (redis as unknown as { shannonIdempotencySwap: SwapCommand }).shannonIdempotencySwap.bind(redis);
  }

  async claim(scope: string, fingerprint: string, attempts = 3): Promise<Claim> {
    const key = this.prefix + scope;
    const token = randomUUID();
    const pending: Record_ = { state: 'pending', fingerprint, token };
    if ((await this.redis.set(key, JSON.stringify(pending), 'PX', this.pendingTtlMs, 'NX')) === 'OK') {
      return { kind: 'acquired', token };
    }
    const raw = await this.redis.get(key);
    if (!raw) {
      // Released or expired between the two calls: try again.
      return attempts > 1 ? this.claim(scope, fingerprint, attempts - 1) : { kind: 'pending' };
    }
    const existing = JSON.parse(raw) as Record_;
    if (existing.fingerprint !== fingerprint) {
      return { kind: 'conflict' };
    }
    return existing.state === 'done' && existing.response ? { kind: 'replay', response: existing.response } : { kind: 'pending' };
  }

  async complete(scope: string, token: string, fingerprint: string, response: StoredResponse, ttlMs: number): Promise<void> {
    const done: Record_ = { state: 'done', fingerprint, response };
    await this.swap(this.prefix + scope, token, JSON.stringify(done), ttlMs);
  }

  async release(scope: string, token: string): Promise<void> {
    await this.swap(this.prefix + scope, token, '', 0);
  }
}
