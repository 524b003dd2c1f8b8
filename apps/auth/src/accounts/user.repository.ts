import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '@shannon/db';
import { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../prisma/prisma.service';

export interface UserRow {
  id: string;
  tenantId: string;
  email: string;
  username: string;
  fullName: string | null;
  role: string;
  passwordHash: string | null;
  createdAt: Date;
  plan: string;
}

export interface NewAccount {
  email: string;
  username: string;
  passwordHash: string;
  fullName?: string;
  firstKey: { name: string; prefix: string; keyHash: string };
}

const USER_FIELDS = {
  id: true,
  tenantId: true,
  email: true,
  username: true,
  fullName: true,
  role: true,
  passwordHash: true,
  createdAt: true,
  tenant: { select: { plan: true } },
} as const;

type SelectedUser = Prisma.UserGetPayload<{ select: typeof USER_FIELDS }>;

function toRow({ tenant, ...user }: SelectedUser): UserRow {
  return { ...user, plan: tenant.plan };
}

@Injectable()
export class UserRepository {
  constructor(private readonly prisma: PrismaService) {}

  async findByEmail(email: string): Promise<UserRow | null> {
    const user = await this.prisma.user.findUnique({ where: { email }, select: USER_FIELDS });
    return user && toRow(user);
  }

  async findById(tenantId: string, id: string): Promise<UserRow | null> {
    const user = await this.prisma.user.findFirst({ where: { id, tenantId }, select: USER_FIELDS });
    return user && toRow(user);
  }

  async emailOrUsernameTaken(email: string, username: string): Promise<'email' | 'username' | null> {
    const taken = await this.prisma.user.findFirst({ where: { OR: [{ email }, { username }] }, select: { email: true } });
    return taken ? (taken.email === email ? 'email' : 'username') : null;
  }

  /**
   * A tenant, its owner and the owner's first API key, together. Resolves null when a concurrent
   * registration took the email or username first.
   */
  async createAccount(account: NewAccount): Promise<{ user: UserRow; apiKeyId: string } | null> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const tenant = await tx.tenant.create({ data: { name: `${account.username}'s Workspace` }, select: { id: true } });
        const user = await tx.user.create({
          data: {
            tenantId: tenant.id,
            email: account.email,
            username: account.username,
            passwordHash: account.passwordHash,
            fullName: account.fullName,
            role: 'owner',
          },
          select: USER_FIELDS,
        });
        const key = await tx.apiKey.create({ data: { tenantId: tenant.id, userId: user.id, ...account.firstKey }, select: { id: true } });
        return { user: toRow(user), apiKeyId: key.id };
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        return null;
      }
      throw error;
    }
  }

  async recordLogin(id: string, at: Date): Promise<void> {
    await this.prisma.user.update({ where: { id }, data: { lastLoginAt: at } });
  }
}
