import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createPgAdapter } from '@shannon/db';
import { TASK_CONFIG, TASK_SCHEMA, type TaskConfig } from '../config';
import { PrismaClient } from '../generated/prisma/client';

@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(@Inject(TASK_CONFIG) config: TaskConfig) {
    super({ adapter: createPgAdapter(config.DATABASE_URL, TASK_SCHEMA) });
  }

  /** Last, after every user of the database has stopped in beforeApplicationShutdown (see docs/adr/0004). */
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}
