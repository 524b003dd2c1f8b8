import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

/** Body of POST /api/v1/auth/register. */
export class RegisterDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 254 })
  @MaxLength(254, { message: 'email must be a valid email address' })
  @IsString({ message: 'email must be a string' })
  @IsDefined({ message: 'email is required' })
  email!: string;

  @ApiProperty({ example: 'ada', pattern: '^[A-Za-z0-9_.-]{3,50}$' })
  @Matches(/^[A-Za-z0-9_.-]{3,50}$/, { message: 'username must be 3 to 50 letters, digits, dots, dashes or underscores' })
  @IsString({ message: 'username must be a string' })
  @IsDefined({ message: 'username is required' })
  username!: string;

  @ApiProperty({ minLength: 8, maxLength: 128 })
  @MaxLength(128, { message: 'password must be at most 128 characters' })
  @MinLength(8, { message: 'password must be at least 8 characters' })
  @IsString({ message: 'password must be a string' })
  @IsDefined({ message: 'password is required' })
  password!: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @MaxLength(100, { message: 'full_name must be at most 100 printable characters' })
  @IsString({ message: 'full_name must be a string' })
  @IsOptional()
  full_name?: string;
}

/** Body of POST /api/v1/auth/login. */
export class LoginDto {
  @ApiProperty({ example: 'ada@example.com' })
  @MaxLength(1024, { message: 'email too long' })
  @IsString({ message: 'email must be a string' })
  @IsDefined({ message: 'email is required' })
  email!: string;

  @ApiProperty()
  @MaxLength(1024, { message: 'password too long' })
  @IsString({ message: 'password must be a string' })
  @IsDefined({ message: 'password is required' })
  password!: string;
}

/** Body of POST /api/v1/auth/refresh. */
export class RefreshTokenDto {
  @ApiProperty()
  @MaxLength(1024, { message: 'refresh_token too long' })
  @IsString({ message: 'refresh_token must be a string' })
  @IsDefined({ message: 'Missing refresh_token' })
  refresh_token!: string;
}

/** Body of POST /api/v1/auth/api-keys. */
export class CreateApiKeyDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'CI pipeline' })
  @MaxLength(100, { message: 'Name must be 100 characters or less' })
  @Matches(/\S/, { message: 'Name is required' })
  @IsString({ message: 'name must be a string' })
  @IsDefined({ message: 'Name is required' })
  name!: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @MaxLength(500, { message: 'Description must be 500 characters or less' })
  @IsString({ message: 'description must be a string' })
  @IsOptional()
  description?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 3650, description: 'Days until the key expires; omitted: never.' })
  @Max(3650, { message: 'expires_in_days must be an integer from 1 to 3650' })
  @Min(1, { message: 'expires_in_days must be an integer from 1 to 3650' })
  @IsInt({ message: 'expires_in_days must be an integer from 1 to 3650' })
  @IsOptional()
  expires_in_days?: number;
}
