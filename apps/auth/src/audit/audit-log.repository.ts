import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../prisma/prisma.service';

export type AuditEventType =
  | 'account_created'
  | 'login'
  | 'login_failed'
  | 'token_refresh'
  | 'refresh_token_reused'
  | 'api_key_created'
  | 'api_key_revoked'
  | 'api_key_used';

export interface ClientContext {
  ipAddress?: string;
  userAgent?: string;
}

export interface AuditEvent {
  type: AuditEventType;
  tenantId?: string;
  userId?: string;
  apiKeyId?: string;
  client?: ClientContext;
  /** Never a secret: ids, names, reasons. */
  details?: Record<string, string | number | boolean>;
}

const MAX_CLIENT_FIELD = 512;

/** Key and login events, one row each. */
@Injectable()
export class AuditLogRepository {
  constructor(private readonly prisma: PrismaService) {}

  async record(event: AuditEvent): Promise<void> {
    await this.prisma.auditLog.create({
      data: {
        eventType: event.type,
        tenantId: event.tenantId,
        userId: event.userId,
        apiKeyId: event.apiKeyId,
        ipAddress: event.client?.ipAddress?.slice(0, MAX_CLIENT_FIELD) || undefined,
        userAgent: event.client?.userAgent?.slice(0, MAX_CLIENT_FIELD) || undefined,
        details: (event.details ?? {}) as Prisma.InputJsonObject,
      },
    });
  }
}
