import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createPgAdapter } from '@shannon/db';
import { TASK_CONFIG, TASK_SCHEMA, type TaskConfig } from '../config';
import { PrismaClient } from '../generated/prisma/client';

@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  constructor(@Inject(TASK_CONFIG) config: TaskConfig) {
    super({ adapter: createPgAdapter(config.DATABASE_URL, TASK_SCHEMA) });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
