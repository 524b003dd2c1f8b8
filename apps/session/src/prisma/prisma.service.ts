import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createPgAdapter } from '@shannon/db';
import { SESSION_CONFIG, SESSION_SCHEMA, type SessionConfig } from '../config';
import { PrismaClient } from '../generated/prisma/client';

@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(@Inject(SESSION_CONFIG) config: SessionConfig) {
    super({ adapter: createPgAdapter(config.DATABASE_URL, SESSION_SCHEMA) });
  }

  /** Last, after every user of the database has stopped in beforeApplicationShutdown (see docs/adr/0004). */
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}
