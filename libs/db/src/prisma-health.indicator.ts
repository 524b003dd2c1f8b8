import type { HealthIndicator } from '@shannon/grpc';

interface RawQueryable {
  $queryRawUnsafe(query: string): Promise<unknown>;
}

/** Readiness of a service's PostgreSQL connection. */
export class PrismaHealthIndicator implements HealthIndicator {
  readonly name = 'postgres';

  constructor(private readonly prisma: RawQueryable) {}

  async check(): Promise<void> {
    await this.prisma.$queryRawUnsafe('SELECT 1');
  }
}
