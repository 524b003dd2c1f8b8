import type { MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { Principal } from '@shannon/auth';
import type { ApiKeySchema, ClientInfo, PrincipalSchema, TokenPairSchema, UserSchema } from '@shannon/contracts';
import type { UserRow } from './accounts/user.repository';
import type { ApiKeyRow } from './api-keys/api-key.repository';
import type { ClientContext } from './audit/audit-log.repository';
import type { TokenPair } from './tokens/token.service';

/** Rows and domain objects <-> auth service messages. */
export const AuthMapper = {
  principal(principal: Principal): MessageInitShape<typeof PrincipalSchema> {
    return {
      tenantId: principal.tenantId,
      userId: principal.userId,
      apiKeyId: principal.apiKeyId ?? '',
      plan: principal.plan ?? '',
      rateLimitRpm: principal.rateLimit?.rpm ?? 0,
      rateLimitBurst: principal.rateLimit?.burst ?? 0,
    };
  },

  user(user: UserRow): MessageInitShape<typeof UserSchema> {
    return {
      userId: user.id,
      tenantId: user.tenantId,
      email: user.email,
      username: user.username,
      fullName: user.fullName ?? '',
      role: user.role,
      plan: user.plan,
      createdAt: timestampFromDate(user.createdAt),
    };
  },

  tokens(tokens: TokenPair): MessageInitShape<typeof TokenPairSchema> {
    return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresIn: tokens.expiresIn };
  },

  apiKey(key: ApiKeyRow): MessageInitShape<typeof ApiKeySchema> {
    return {
      id: key.id,
      name: key.name,
      description: key.description ?? '',
      keyPrefix: key.prefix,
      enabled: key.enabled,
      createdAt: timestampFromDate(key.createdAt),
      lastUsedAt: key.lastUsedAt ? timestampFromDate(key.lastUsedAt) : undefined,
      expiresAt: key.expiresAt ? timestampFromDate(key.expiresAt) : undefined,
    };
  },

  client(client: ClientInfo | undefined): ClientContext {
    return { ipAddress: client?.ipAddress || undefined, userAgent: client?.userAgent || undefined };
  },
};
