import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createPgAdapter, createPgPool, PgStatements } from '@shannon/db';
import { STREAMING_CONFIG, STREAMING_SCHEMA, type StreamingConfig } from '../config';
import { PrismaClient } from '../generated/prisma/client';

@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  /** The statements on every task's path, sent without Prisma (see PgStatements). */
  readonly pg: PgStatements;

  constructor(@Inject(STREAMING_CONFIG) config: StreamingConfig) {
    const pool = createPgPool(config.DATABASE_URL);
    super({ adapter: createPgAdapter(pool, STREAMING_SCHEMA) });
    this.pg = new PgStatements(pool);
  }

  /** Last, after every user of the database has stopped in beforeApplicationShutdown (see docs/adr/0004). */
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}
