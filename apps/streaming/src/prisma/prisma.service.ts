import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createPgAdapter } from '@shannon/db';
import { STREAMING_CONFIG, STREAMING_SCHEMA, type StreamingConfig } from '../config';
import { PrismaClient } from '../generated/prisma/client';

@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(@Inject(STREAMING_CONFIG) config: StreamingConfig) {
    super({ adapter: createPgAdapter(config.DATABASE_URL, STREAMING_SCHEMA) });
  }

  /** Last, after every user of the database has stopped in beforeApplicationShutdown (see docs/adr/0004). */
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}
