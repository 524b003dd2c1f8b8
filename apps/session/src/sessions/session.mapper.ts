import type { MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { SessionSchema } from '@shannon/contracts';
import type { SessionRow, SessionStatsRow } from './session.repository';

export function toSessionMessage(row: SessionRow, expiresAt?: Date, stats?: SessionStatsRow): MessageInitShape<typeof SessionSchema> {
  return {
    id: row.id,
    externalId: row.externalId ?? '',
    tenantId: row.tenantId,
    userId: row.userId,
    title: row.title ?? '',
    createdAt: timestampFromDate(row.createdAt),
    updatedAt: timestampFromDate(row.updatedAt),
    lastActivityAt: timestampFromDate(row.lastActivityAt),
    expiresAt: expiresAt ? timestampFromDate(expiresAt) : undefined,
    stats,
  };
}
