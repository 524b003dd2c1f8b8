import type { BucketLimits } from './redis-token-bucket';

/** One of Shannon's rate-limit windows: the requests it allows, and how many of them are left. */
export interface WindowAllowance {
  limit: number;
  remaining: number;
}

export interface RateLimitWindows {
  hour: WindowAllowance;
  minute: WindowAllowance;
}

export type WindowLimits = Record<keyof RateLimitWindows, number>;

const WINDOW_MINUTES: WindowLimits = { hour: 60, minute: 1 };

/** What the bucket allows over each window at its sustained rate: RPM a minute, RPM × 60 an hour. */
export function windowLimits(limits: BucketLimits): WindowLimits {
  return { hour: limits.perMinute * WINDOW_MINUTES.hour, minute: limits.perMinute * WINDOW_MINUTES.minute };
}

/**
 * Shannon's minute and hour windows, told from the caller's token bucket, which keeps no count per
 * window, only how full it is (docs/adr/0049). For each window: the limit less the requests the
 * bucket has not earned back yet (capacity − available), but never fewer than the requests that
 * would pass right now, and never more than the limit:
 * `min(limit, available + max(0, limit − capacity))`. Every request it counts can be sent within
 * the window; 0 means the next request is refused.
 */
export function rateLimitWindows(limits: BucketLimits, available: number): RateLimitWindows {
  const allowance = (limit: number): WindowAllowance => ({ limit, remaining: Math.min(limit, available + Math.max(0, limit - limits.capacity)) });
  const { hour, minute } = windowLimits(limits);
  return { hour: allowance(hour), minute: allowance(minute) };
}
