import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createPgAdapter } from '@shannon/db';
import { STREAMING_CONFIG, STREAMING_SCHEMA, type StreamingConfig } from '../config';
import { PrismaClient } from '../generated/prisma/client';

@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  constructor(@Inject(STREAMING_CONFIG) config: StreamingConfig) {
    super({ adapter: createPgAdapter(config.DATABASE_URL, STREAMING_SCHEMA) });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
