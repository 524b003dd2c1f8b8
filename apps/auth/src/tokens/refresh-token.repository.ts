import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service';

export interface TokenOwner {
  tenantId: string;
  userId: string;
}

export type RotationOutcome =
  | { kind: 'rotated'; owner: TokenOwner; familyId: string }
  /** The token was already spent: its family has now been revoked. */
  | { kind: 'reused'; owner: TokenOwner; familyId: string }
  | { kind: 'invalid' };

export interface FamilyStatus {
  tenantId: string;
  userId: string;
  revoked: boolean;
  plan: string;
}

@Injectable()
export class RefreshTokenRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Starts a family (one login) with its first token. */
  async createFamily(owner: TokenOwner, tokenHash: string, expiresAt: Date): Promise<string> {
    const family = await this.prisma.refreshTokenFamily.create({
      data: { tenantId: owner.tenantId, userId: owner.userId, tokens: { create: { tokenHash, expiresAt } } },
      select: { id: true },
    });
    return family.id;
  }

  /**
   * Spends the token with `tokenHash` and stores its successor in the same family, in one
   * transaction. The row lock makes two concurrent uses of one token resolve one after the
   * other: the second sees a spent token, which revokes the family (committed, not rolled back).
   */
  async rotate(tokenHash: string, nextHash: string, nextExpiresAt: Date, now: Date): Promise<RotationOutcome> {
    return this.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ family_id: string; expires_at: Date; used_at: Date | null; revoked_at: Date | null; tenant_id: string; user_id: string }[]>`
        SELECT t.family_id, t.expires_at, t.used_at, f.revoked_at, f.tenant_id, f.user_id
        FROM auth.refresh_tokens t JOIN auth.refresh_token_families f ON f.id = t.family_id
        WHERE t.token_hash = ${tokenHash}
        FOR UPDATE OF t, f`;
      const row = rows[0];
      if (!row || row.revoked_at) {
        return { kind: 'invalid' };
      }
      const owner = { tenantId: row.tenant_id, userId: row.user_id };
      if (row.used_at) {
        await tx.refreshTokenFamily.update({ where: { id: row.family_id }, data: { revokedAt: now } });
        return { kind: 'reused', owner, familyId: row.family_id };
      }
      if (row.expires_at <= now) {
        return { kind: 'invalid' };
      }
      await tx.refreshToken.update({ where: { tokenHash }, data: { usedAt: now } });
      await tx.refreshToken.create({ data: { familyId: row.family_id, tokenHash: nextHash, expiresAt: nextExpiresAt } });
      return { kind: 'rotated', owner, familyId: row.family_id };
    });
  }

  async familyStatus(familyId: string): Promise<FamilyStatus | null> {
    const family = await this.prisma.refreshTokenFamily.findUnique({
      where: { id: familyId },
      select: { tenantId: true, userId: true, revokedAt: true, tenant: { select: { plan: true } } },
    });
    return family && { tenantId: family.tenantId, userId: family.userId, revoked: family.revokedAt !== null, plan: family.tenant.plan };
  }
}
