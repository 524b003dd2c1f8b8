import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class AuthUserSummary {
  @ApiProperty() email!: string;
  @ApiProperty() username!: string;
  @ApiPropertyOptional() name?: string;
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
  @ApiProperty({ type: AuthUserSummary }) user!: AuthUserSummary;
}

export class TokenRefreshedResponse {
  @ApiProperty() access_token!: string;
  @ApiProperty() refresh_token!: string;
  @ApiProperty({ example: 3600 }) expires_in!: number;
  @ApiProperty({ example: 'Bearer' }) token_type!: string;
}

export class RateLimitInfo {
  @ApiProperty({ description: 'Sustained requests per minute' }) requests_per_minute!: number;
  @ApiProperty({ description: 'Most requests at once (bucket size)' }) burst!: number;
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
  @ApiProperty({ type: RateLimitInfo }) rate_limits!: RateLimitInfo;
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
