import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { RedisClient } from '../clients/redis.client';
import { FailOpen } from '../metrics/fail-open';
import { PrincipalResolver } from './principal.resolver';

const CHANNEL = 'shannon:api-key-revoked';

/**
 * Tells every gateway replica (Redis pub/sub) that a key was revoked, so each drops it from its
 * credential cache at once. Without Redis a revoked key still stops within AUTH_CACHE_TTL_MS.
 */
@Injectable()
export class ApiKeyRevocations implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ApiKeyRevocations.name);
  private readonly failOpen = new FailOpen('api_key_revocation_notice');
  private subscriber?: Redis;

  constructor(
    private readonly redis: RedisClient,
    private readonly principals: PrincipalResolver,
  ) {}

  onApplicationBootstrap(): void {
    const subscriber = this.redis.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    subscriber.on('message', (_channel: string, apiKeyId: string) => this.principals.forgetApiKey(apiKeyId));
    subscriber.on('error', (error: Error) => this.logger.debug(`Revocation subscriber: ${error.message}`));
    subscriber.subscribe(CHANNEL).catch((error: Error) => this.logger.warn(`Could not subscribe to key revocations: ${error.message}`));
    this.subscriber = subscriber;
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
  }

  async announce(apiKeyId: string): Promise<void> {
    this.principals.forgetApiKey(apiKeyId);
    await this.redis.redis.publish(CHANNEL, apiKeyId).catch((error: unknown) => this.failOpen.record(error));
  }
}
