import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { CheckResponseSchema } from '@shannon/contracts';

/** One dependency a service needs to do its work (its database, the bus...). */
export interface HealthIndicator {
  readonly name: string;
  /** Resolves when the dependency answers; rejects with a reason otherwise. */
  check(): Promise<void>;
}

export const HEALTH_INDICATORS = Symbol('HEALTH_INDICATORS');

const CHECK_TIMEOUT_MS = 2_000;

/** Runs every indicator in parallel with a time limit and reports each by name. */
export async function runHealthChecks(indicators: readonly HealthIndicator[]): Promise<MessageInitShape<typeof CheckResponseSchema>> {
  const results = await Promise.all(
    indicators.map(async (indicator) => {
      try {
        await withTimeout(indicator.check(), CHECK_TIMEOUT_MS);
        return [indicator.name, 'ok'] as const;
      } catch (error) {
        return [indicator.name, error instanceof Error ? error.message : String(error)] as const;
      }
    }),
  );
  return { ready: results.every(([, state]) => state === 'ok'), checks: Object.fromEntries(results) };
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

@Controller()
export class HealthGrpcController {
  constructor(@Inject(HEALTH_INDICATORS) private readonly indicators: HealthIndicator[]) {}

  @GrpcMethod('HealthService', 'Check')
  check(): Promise<MessageInitShape<typeof CheckResponseSchema>> {
    return runHealthChecks(this.indicators);
  }
}
