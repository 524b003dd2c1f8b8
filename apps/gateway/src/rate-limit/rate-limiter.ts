import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@shannon/auth';
import { RedisClient } from '../clients/redis.client';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { FailOpen } from '../metrics/fail-open';
import { RateLimitPolicy, type RateLimitSubject } from './rate-limit.policy';
import { type BucketDecision, type BucketLimits, RedisTokenBucket } from './redis-token-bucket';

export interface RateLimitDecision extends BucketDecision {
  /** True when Redis could not be asked and the request was let through unchecked. */
  failedOpen: boolean;
}

/** A caller's bucket as it stands, nothing taken. */
export interface RateLimitStanding {
  limits: BucketLimits;
  /** Requests that would pass right now, back to back. */
  available: number;
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

  /** The limits of the caller's bucket: the key's override, else the plan's, else the defaults. */
  limitsFor(principal: Principal): BucketLimits {
    return this.policy.forPrincipal(principal).limits;
  }

  /**
   * The caller's bucket without taking from it. With limiting off, or Redis failing, nothing
   * holds the caller back: the whole bucket is available, as the limiter's fail open says.
   */
  async standing(principal: Principal): Promise<RateLimitStanding> {
    const { key, limits } = this.policy.forPrincipal(principal);
    if (!this.enabled) {
      return { limits, available: limits.capacity };
    }
    // A Redis failure is not counted here: this read lets no request through, and the guard has
    // already counted the failure on the same request.
    const available = await this.bucket.available(key, limits).catch(() => limits.capacity);
    return { limits, available };
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
