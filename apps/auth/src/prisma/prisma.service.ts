import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createPgAdapter } from '@shannon/db';
import { AUTH_CONFIG, AUTH_SCHEMA, type AuthConfig } from '../config';
import { PrismaClient } from '../generated/prisma/client';

@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  constructor(@Inject(AUTH_CONFIG) config: AuthConfig) {
    super({ adapter: createPgAdapter(config.DATABASE_URL, AUTH_SCHEMA) });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
