import type { Principal } from '@shannon/auth';
import type { GatewayConfig } from '../config';
import type { BucketLimits } from './redis-token-bucket';

export interface RateLimitSubject {
  /** The bucket: one per API key, else one per user (access tokens, the development user). */
  key: string;
  limits: BucketLimits;
}

type PolicyConfig = Pick<GatewayConfig, 'RATE_LIMIT_RPM' | 'RATE_LIMIT_BURST' | 'RATE_LIMIT_PLANS' | 'AUTH_RATE_LIMIT_RPM'>;

/**
 * Whose bucket a request takes from and how big it is: the key's own override, else its tenant
 * plan's limits (RATE_LIMIT_PLANS), else RATE_LIMIT_RPM / RATE_LIMIT_BURST.
 */
export class RateLimitPolicy {
  constructor(private readonly config: PolicyConfig) {}

  forPrincipal(principal: Principal): RateLimitSubject {
    const plan = principal.plan ? this.config.RATE_LIMIT_PLANS[principal.plan] : undefined;
    const rpm = principal.rateLimit?.rpm ?? plan?.rpm ?? this.config.RATE_LIMIT_RPM;
    const burst = principal.rateLimit?.burst ?? plan?.burst ?? this.config.RATE_LIMIT_BURST;
    const key = principal.apiKeyId ? `key:${principal.apiKeyId}` : `user:${principal.tenantId}:${principal.userId}`;
    return { key, limits: { capacity: burst, perMinute: rpm } };
  }

  /** Register, login and refresh have no caller yet: one bucket per client IP. */
  forClientIp(ip: string): RateLimitSubject {
    return { key: `ip:${ip}`, limits: { capacity: this.config.AUTH_RATE_LIMIT_RPM, perMinute: this.config.AUTH_RATE_LIMIT_RPM } };
  }
}
