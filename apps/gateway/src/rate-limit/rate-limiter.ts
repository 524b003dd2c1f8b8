import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@shannon/auth';
import { RedisClient } from '../clients/redis.client';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { FailOpen } from '../metrics/fail-open';
import { RateLimitPolicy, type RateLimitSubject } from './rate-limit.policy';
import { type BucketDecision, RedisTokenBucket } from './redis-token-bucket';

export interface RateLimitDecision extends BucketDecision {
  /** True when Redis could not be asked and the request was let through unchecked. */
  failedOpen: boolean;
}

/** Takes one request from the caller's bucket; when Redis fails the request passes (fail open). */
@Injectable()
export class RateLimiter {
  private readonly bucket: RedisTokenBucket;
  private readonly policy: RateLimitPolicy;
  private readonly failOpen = new FailOpen('rate_limit');

  constructor(redis: RedisClient, @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    this.bucket = new RedisTokenBucket(redis.redis);
    this.policy = new RateLimitPolicy(config);
  }

  get enabled(): boolean {
    return this.config.RATE_LIMIT_ENABLED;
  }

  forPrincipal(principal: Principal): Promise<RateLimitDecision> {
    return this.consume(this.policy.forPrincipal(principal));
  }

  forClientIp(ip: string): Promise<RateLimitDecision> {
    return this.consume(this.policy.forClientIp(ip));
  }

  private async consume(subject: RateLimitSubject): Promise<RateLimitDecision> {
    try {
      return { ...(await this.bucket.consume(subject.key, subject.limits)), failedOpen: false };
    } catch (error) {
      this.failOpen.record(error);
      const now = Date.now();
      return { allowed: true, limit: subject.limits.capacity, remaining: subject.limits.capacity, retryAfterMs: 0, resetAtMs: now, failedOpen: true };
    }
  }
}
