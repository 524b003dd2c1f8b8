import { Injectable } from '@nestjs/common';
import type { CallerIdentity } from '@shannon/auth';
import { PrismaService } from '../prisma/prisma.service';

export interface StoredApiKey {
  id: string;
  tenantId: string;
  userId: string;
  keyHash: string;
  enabled: boolean;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  rateLimitRpm: number | null;
  rateLimitBurst: number | null;
  plan: string;
}

export interface ApiKeyRow {
  id: string;
  name: string;
  description: string | null;
  prefix: string;
  enabled: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
}

export interface NewApiKey {
  name: string;
  description?: string;
  prefix: string;
  keyHash: string;
  expiresAt?: Date;
}

const LISTED_FIELDS = { id: true, name: true, description: true, prefix: true, enabled: true, createdAt: true, lastUsedAt: true, expiresAt: true } as const;

@Injectable()
export class ApiKeyRepository {
  constructor(private readonly prisma: PrismaService) {}

  async findByHash(keyHash: string): Promise<StoredApiKey | null> {
    const key = await this.prisma.apiKey.findUnique({
      where: { keyHash },
      select: {
        id: true,
        tenantId: true,
        userId: true,
        keyHash: true,
        enabled: true,
        expiresAt: true,
        lastUsedAt: true,
        rateLimitRpm: true,
        rateLimitBurst: true,
        tenant: { select: { plan: true } },
      },
    });
    if (!key) {
      return null;
    }
    const { tenant, ...rest } = key;
    return { ...rest, plan: tenant.plan };
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.prisma.apiKey.update({ where: { id }, data: { lastUsedAt: at } });
  }

  listFor(owner: CallerIdentity): Promise<ApiKeyRow[]> {
    return this.prisma.apiKey.findMany({
      where: { tenantId: owner.tenantId, userId: owner.userId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: LISTED_FIELDS,
    });
  }

  countEnabled(owner: CallerIdentity): Promise<number> {
    return this.prisma.apiKey.count({ where: { tenantId: owner.tenantId, userId: owner.userId, enabled: true } });
  }

  create(owner: CallerIdentity, key: NewApiKey): Promise<ApiKeyRow> {
    return this.prisma.apiKey.create({ data: { tenantId: owner.tenantId, userId: owner.userId, ...key }, select: LISTED_FIELDS });
  }

  /** Disables one of the owner's enabled keys; false when there is no such key. */
  async revoke(owner: CallerIdentity, id: string, at: Date): Promise<boolean> {
    const { count } = await this.prisma.apiKey.updateMany({
      where: { id, tenantId: owner.tenantId, userId: owner.userId, enabled: true },
      data: { enabled: false, revokedAt: at },
    });
    return count === 1;
  }
}
