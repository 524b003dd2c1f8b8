import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import type { ApiKey, ApiKeyCreatedResponse, ApiKeyItem, AuthSessionResponse, MeResponse, TokenPair, TokenRefreshedResponse, User } from '@shannon/contracts';

const iso = (ts: Timestamp | undefined): string | undefined => (ts ? timestampDate(ts).toISOString() : undefined);

export const KEY_WARNING = 'Store this API key securely. It will not be shown again.';

/** Shapes of reference section 4, built from the auth service's messages. */
export const AccountPresenter = {
  session(user: User, tokens: TokenPair, apiKey: string, isNewUser: boolean): AuthSessionResponse {
    return {
      user_id: user.userId,
      tenant_id: user.tenantId,
      access_token: tokens.accessToken,
      refresh_token: tokens.refreshToken,
      expires_in: tokens.expiresIn,
      token_type: 'Bearer',
      api_key: apiKey,
      tier: user.plan,
      is_new_user: isNewUser,
      user: { email: user.email, username: user.username, name: user.fullName || undefined },
    };
  },

  refreshed(tokens: TokenPair): TokenRefreshedResponse {
    return { access_token: tokens.accessToken, refresh_token: tokens.refreshToken, expires_in: tokens.expiresIn, token_type: 'Bearer' };
  },

  me(user: User, limits: { rpm: number; burst: number }): MeResponse {
    return {
      user_id: user.userId,
      tenant_id: user.tenantId,
      email: user.email,
      username: user.username,
      name: user.fullName || undefined,
      role: user.role,
      tier: user.plan,
      created_at: iso(user.createdAt) ?? '',
      rate_limits: { requests_per_minute: limits.rpm, burst: limits.burst },
    };
  },

  key(key: ApiKey): ApiKeyItem {
    return {
      id: key.id,
      name: key.name,
      key_prefix: key.keyPrefix,
      description: key.description || undefined,
      created_at: iso(key.createdAt) ?? '',
      last_used_at: iso(key.lastUsedAt),
      expires_at: iso(key.expiresAt),
      is_active: key.enabled,
    };
  },

  created(key: ApiKey, apiKey: string): ApiKeyCreatedResponse {
    return {
      id: key.id,
      name: key.name,
      api_key: apiKey,
      key_prefix: key.keyPrefix,
      created_at: iso(key.createdAt) ?? '',
      expires_at: iso(key.expiresAt),
      warning: KEY_WARNING,
    };
  },
};
