import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createPgAdapter, createPgPool } from '@shannon/db';
import { AUTH_CONFIG, AUTH_SCHEMA, type AuthConfig } from '../config';
import { PrismaClient } from '../generated/prisma/client';

@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(@Inject(AUTH_CONFIG) config: AuthConfig) {
    super({ adapter: createPgAdapter(createPgPool(config.DATABASE_URL), AUTH_SCHEMA) });
  }

  /** Last, after every user of the database has stopped in beforeApplicationShutdown (see docs/adr/0004). */
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}
