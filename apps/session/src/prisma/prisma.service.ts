import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createPgAdapter } from '@shannon/db';
import { SESSION_CONFIG, SESSION_SCHEMA, type SessionConfig } from '../config';
import { PrismaClient } from '../generated/prisma/client';

@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  constructor(@Inject(SESSION_CONFIG) config: SessionConfig) {
    super({ adapter: createPgAdapter(config.DATABASE_URL, SESSION_SCHEMA) });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
