import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { isDevelopmentEnvironment } from '@shannon/config';
import { apiKeyPrefix } from '../api-keys/api-key-format';
import { sha256Hex } from '../secrets/secret-hash';
import { AUTH_CONFIG, type AuthConfig } from '../config';
import { PrismaService } from '../prisma/prisma.service';
import {
  DEVELOPMENT_API_KEY,
  DEVELOPMENT_TENANT_ID,
  DEVELOPMENT_USER_ID,
} from './development-principal';

/**
 * In development environments makes sure the development user and its key exist; in any other
 * environment makes sure the development key does not (a database seeded in development and then
 * promoted would otherwise keep a well-known key).
 */
@Injectable()
export class DevelopmentSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(DevelopmentSeeder.name);

  constructor(
    private readonly prisma: PrismaService,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const keyHash = sha256Hex(DEVELOPMENT_API_KEY);
    if (!isDevelopmentEnvironment(this.config.ENVIRONMENT)) {
      const { count } = await this.prisma.apiKey.deleteMany({
        where: { keyHash },
      });
      if (count > 0) {
        this.logger.warn(
          'Removed the development API key: it must not exist outside development',
        );
      }
      return;
    }
    // Each upsert is idempotent, so no transaction is needed (and none waits on a busy pool at start-up).
    await this.prisma.tenant.upsert({
      where: { id: DEVELOPMENT_TENANT_ID },
      create: { id: DEVELOPMENT_TENANT_ID, name: 'Development' },
      update: {},
    });
    await this.prisma.user.upsert({
      where: { id: DEVELOPMENT_USER_ID },
      create: {
        id: DEVELOPMENT_USER_ID,
        tenantId: DEVELOPMENT_TENANT_ID,
        email: 'dev@localhost',
        username: 'dev',
        role: 'owner',
      },
      update: {},
    });
    await this.prisma.apiKey.upsert({
      where: { keyHash },
      create: {
        tenantId: DEVELOPMENT_TENANT_ID,
        userId: DEVELOPMENT_USER_ID,
        name: 'Development key',
        prefix: apiKeyPrefix(DEVELOPMENT_API_KEY),
        keyHash,
      },
      update: { enabled: true, expiresAt: null, revokedAt: null },
    });
  }
}
