import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import type { AccountQuotas, ApiKey, ApiKeyCreatedResponse, ApiKeyItem, AuthSessionResponse, MeResponse, TokenPair, TokenRefreshedResponse, User } from '@shannon/contracts';
import type { RateLimitWindows, WindowLimits } from '../rate-limit/rate-limit-windows';

const iso = (ts: Timestamp | undefined): string | undefined => (ts ? timestampDate(ts).toISOString() : undefined);

export const KEY_WARNING = 'Store this API key securely. It will not be shown again.';

/** `quotas.monthly_tokens` when no monthly token limit applies: none is enforced (docs/adr/0049). */
const NO_MONTHLY_TOKEN_LIMIT = 0;

const quotas = (limits: WindowLimits): AccountQuotas => ({ monthly_tokens: NO_MONTHLY_TOKEN_LIMIT, rate_limit_hour: limits.hour, rate_limit_minute: limits.minute });

/** Shapes of reference section 4, built from the auth service's messages. */
export const AccountPresenter = {
  session(user: User, tokens: TokenPair, apiKey: string, isNewUser: boolean, limits: WindowLimits): AuthSessionResponse {
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
      quotas: quotas(limits),
      user: { email: user.email, username: user.username, name: user.fullName || undefined },
    };
  },

  refreshed(tokens: TokenPair): TokenRefreshedResponse {
    return { access_token: tokens.accessToken, refresh_token: tokens.refreshToken, expires_in: tokens.expiresIn, token_type: 'Bearer' };
  },

  /** `monthlyUsage`: tokens the tenant used this month. */
  me(user: User, windows: RateLimitWindows, monthlyUsage: bigint): MeResponse {
    return {
      user_id: user.userId,
      tenant_id: user.tenantId,
      email: user.email,
      username: user.username,
      name: user.fullName || undefined,
      role: user.role,
      tier: user.plan,
      created_at: iso(user.createdAt) ?? '',
      quotas: { ...quotas({ hour: windows.hour.limit, minute: windows.minute.limit }), monthly_usage: Number(monthlyUsage) },
      rate_limits: windows,
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
