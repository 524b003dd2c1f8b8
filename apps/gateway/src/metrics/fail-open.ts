import { Logger } from '@nestjs/common';
import { Counter, register } from 'prom-client';

const LOG_EVERY_MS = 10_000;

function counter(): Counter<'feature'> {
  const name = 'gateway_fail_open_total';
  return (
    (register.getSingleMetric(name) as Counter<'feature'> | undefined) ??
    new Counter({ name, help: 'Requests let through without a Redis-backed check because Redis failed', labelNames: ['feature'] })
  );
}

/**
 * What a Redis-backed edge feature (rate limits, idempotency of other POSTs) does when Redis
 * fails: let the request through, count it (`gateway_fail_open_total{feature}` on /metrics) and
 * log it, at most every 10 s per feature so an outage does not flood the log.
 */
export class FailOpen {
  private readonly logger = new Logger(FailOpen.name);
  private readonly failures = counter();
  private lastLogAt = 0;
  private unlogged = 0;

  constructor(
    private readonly feature: string,
    private readonly now: () => number = Date.now,
  ) {}

  record(error: unknown): void {
    this.failures.inc({ feature: this.feature });
    this.unlogged += 1;
    if (this.now() - this.lastLogAt >= LOG_EVERY_MS) {
      this.logger.warn(`${this.feature}: Redis failed, letting ${this.unlogged} request(s) through unchecked: ${(error as Error)?.message ?? String(error)}`);
      this.lastLogAt = this.now();
      this.unlogged = 0;
    }
  }
}
