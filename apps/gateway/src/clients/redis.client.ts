import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';

/** Longest wait for one Redis command: a slow Redis must not hold requests (the features fail open). */
const COMMAND_TIMEOUT_MS = 500;

/** The gateway's Redis connection (rate limits, idempotency of other POSTs, key revocation notices). */
@Injectable()
export class RedisClient implements OnApplicationShutdown {
  private static readonly logger = new Logger(RedisClient.name);

  constructor(readonly redis: Redis) {}

  static connect(url: string): RedisClient {
    const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: COMMAND_TIMEOUT_MS });
    // Connection errors surface where commands fail (readiness, fail-open counters); ioredis reconnects by itself.
    redis.on('error', (error: Error) => RedisClient.logger.debug(`Redis: ${error.message}`));
    return new RedisClient(redis);
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}
