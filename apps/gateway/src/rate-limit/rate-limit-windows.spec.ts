import { rateLimitWindows, windowLimits } from './rate-limit-windows';

describe(rateLimitWindows.name, () => {
  const defaults = { capacity: 60, perMinute: 60 };

  it('allows the sustained rate over each window', () => {
    expect(windowLimits(defaults)).toEqual({ hour: 3_600, minute: 60 });
    expect(windowLimits({ capacity: 3, perMinute: 7 })).toEqual({ hour: 420, minute: 7 });
  });

  it('has every window whole for a caller whose bucket is full', () => {
    expect(rateLimitWindows(defaults, 60)).toEqual({ hour: { limit: 3_600, remaining: 3_600 }, minute: { limit: 60, remaining: 60 } });
  });

  it('takes what the bucket has not earned back from each window (RPM = burst: the minute is the bucket)', () => {
    expect(rateLimitWindows(defaults, 45)).toEqual({ hour: { limit: 3_600, remaining: 3_585 }, minute: { limit: 60, remaining: 45 } });
    expect(rateLimitWindows(defaults, 0)).toEqual({ hour: { limit: 3_600, remaining: 3_540 }, minute: { limit: 60, remaining: 0 } });
  });

  it('counts a small bucket’s refill within the minute', () => {
    // 60 a minute, 10 at once, all 10 just spent: the next request waits a second, yet 50 more pass within the minute.
    expect(rateLimitWindows({ capacity: 10, perMinute: 60 }, 0).minute).toEqual({ limit: 60, remaining: 50 });
  });

  it('never says 0 while requests would pass, nor more than the limit, when the bucket is bigger than the minute', () => {
    const bigBurst = { capacity: 100, perMinute: 60 };
    expect(rateLimitWindows(bigBurst, 40).minute).toEqual({ limit: 60, remaining: 40 });
    expect(rateLimitWindows(bigBurst, 100).minute).toEqual({ limit: 60, remaining: 60 });
    expect(rateLimitWindows(bigBurst, 0)).toEqual({ hour: { limit: 3_600, remaining: 3_500 }, minute: { limit: 60, remaining: 0 } });
  });
});
