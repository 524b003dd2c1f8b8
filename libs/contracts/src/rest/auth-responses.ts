import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class AuthUserSummary {
  @ApiProperty() email!: string;
  @ApiProperty() username!: string;
  @ApiPropertyOptional() name?: string;
}

/** The account's allowances, as register and login answer them (reference section 4.6). */
export class AccountQuotas {
  @ApiProperty({ example: 0, description: 'Tokens a month the tenant may use; 0: no monthly limit (none is enforced)' }) monthly_tokens!: number;
  @ApiProperty({ example: 3600, description: 'Requests an hour at the sustained rate (RPM × 60)' }) rate_limit_hour!: number;
  @ApiProperty({ example: 60, description: 'Requests a minute (RPM)' }) rate_limit_minute!: number;
}

/** GET /api/v1/auth/me adds what the tenant used this month. */
export class AccountUsageQuotas extends AccountQuotas {
  @ApiProperty({ description: 'Tokens (input + output) recorded on the tenant’s tasks created this calendar month (UTC)' }) monthly_usage!: number;
}

/** Register (201) and login (200). */
export class AuthSessionResponse {
  @ApiProperty() user_id!: string;
  @ApiProperty() tenant_id!: string;
  @ApiProperty({ description: 'HS256 JWT; send as Authorization: Bearer' }) access_token!: string;
  @ApiProperty({ description: 'Opaque; single use, rotated by POST /api/v1/auth/refresh' }) refresh_token!: string;
  @ApiProperty({ example: 3600 }) expires_in!: number;
  @ApiProperty({ example: 'Bearer' }) token_type!: string;
  @ApiProperty({ description: 'The first API key on register (shown once); empty on login' }) api_key!: string;
  @ApiProperty({ example: 'free' }) tier!: string;
  @ApiProperty() is_new_user!: boolean;
  @ApiProperty({ type: AccountQuotas }) quotas!: AccountQuotas;
  @ApiProperty({ type: AuthUserSummary }) user!: AuthUserSummary;
}

export class TokenRefreshedResponse {
  @ApiProperty() access_token!: string;
  @ApiProperty() refresh_token!: string;
  @ApiProperty({ example: 3600 }) expires_in!: number;
  @ApiProperty({ example: 'Bearer' }) token_type!: string;
}

export class RateLimitWindowInfo {
  @ApiProperty({ description: 'Requests the window allows at the sustained rate' }) limit!: number;
  @ApiProperty({ description: 'Requests still allowed in the window, told from the caller’s token bucket (docs/adr/0049); 0: the next request is refused' })
  remaining!: number;
}

/** Shannon's two windows, both from one token bucket (RATE_LIMIT_RPM, RATE_LIMIT_BURST, per plan and key). */
export class RateLimitsInfo {
  @ApiProperty({ type: RateLimitWindowInfo, description: 'limit = RPM × 60' }) hour!: RateLimitWindowInfo;
  @ApiProperty({ type: RateLimitWindowInfo, description: 'limit = RPM' }) minute!: RateLimitWindowInfo;
}

export class MeResponse {
  @ApiProperty() user_id!: string;
  @ApiProperty() tenant_id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() username!: string;
  @ApiPropertyOptional() name?: string;
  @ApiProperty({ example: 'owner' }) role!: string;
  @ApiProperty({ example: 'free' }) tier!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ type: AccountUsageQuotas }) quotas!: AccountUsageQuotas;
  @ApiProperty({ type: RateLimitsInfo }) rate_limits!: RateLimitsInfo;
}

export class ApiKeyItem {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'sk_1a2b3' }) key_prefix!: string;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiPropertyOptional({ format: 'date-time' }) last_used_at?: string;
  @ApiPropertyOptional({ format: 'date-time' }) expires_at?: string;
  @ApiProperty() is_active!: boolean;
}

export class ApiKeyListResponse {
  @ApiProperty({ type: [ApiKeyItem] }) keys!: ApiKeyItem[];
  @ApiProperty() total!: number;
}

export class ApiKeyCreatedResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'sk_ + 64 hex; shown once' }) api_key!: string;
  @ApiProperty() key_prefix!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiPropertyOptional({ format: 'date-time' }) expires_at?: string;
  @ApiProperty() warning!: string;
}

export class ApiKeyRevokedResponse {
  @ApiProperty({ example: 'API key revoked successfully' }) message!: string;
  @ApiProperty() success!: boolean;
}
