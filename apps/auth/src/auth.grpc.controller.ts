import type { MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { Caller, type CallerIdentity } from '@shannon/auth';
import { isDevelopmentEnvironment } from '@shannon/config';
import type {
  CreateApiKeyRequest,
  CreateApiKeyResponseSchema,
  GetCurrentUserResponseSchema,
  GetDevelopmentPrincipalResponseSchema,
  ListApiKeysResponseSchema,
  LoginRequest,
  LoginResponseSchema,
  RefreshTokenRequest,
  RefreshTokenResponseSchema,
  RegisterRequest,
  RegisterResponseSchema,
  RevokeApiKeyRequest,
  RevokeApiKeyResponseSchema,
  ValidateAccessTokenRequest,
  ValidateAccessTokenResponseSchema,
  ValidateApiKeyRequest,
  ValidateApiKeyResponseSchema,
} from '@shannon/contracts';
import { FailedPreconditionError } from '@shannon/errors';
import { AccountService } from './accounts/account.service';
import { ApiKeyService } from './api-keys/api-key.service';
import { AuthMapper } from './auth.mapper';
import { AUTH_CONFIG, type AuthConfig } from './config';
import { DEVELOPMENT_TENANT_ID, DEVELOPMENT_USER_ID } from './development/development-principal';
import { TokenService } from './tokens/token.service';


@Controller()
export class AuthGrpcController {
  constructor(
    private readonly apiKeys: ApiKeyService,
    private readonly accounts: AccountService,
    private readonly tokens: TokenService,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  @GrpcMethod('AuthService', 'ValidateApiKey')
  async validateApiKey(@Payload() request: ValidateApiKeyRequest): Promise<MessageInitShape<typeof ValidateApiKeyResponseSchema>> {
    return { principal: AuthMapper.principal(await this.apiKeys.validate(request.apiKey)) };
  }

  @GrpcMethod('AuthService', 'ValidateAccessToken')
  async validateAccessToken(@Payload() request: ValidateAccessTokenRequest): Promise<MessageInitShape<typeof ValidateAccessTokenResponseSchema>> {
    const { principal, expiresAt } = await this.tokens.validateAccessToken(request.accessToken);
    return { principal: AuthMapper.principal(principal), expiresAt: timestampFromDate(expiresAt) };
  }

  @GrpcMethod('AuthService', 'GetDevelopmentPrincipal')
  getDevelopmentPrincipal(): MessageInitShape<typeof GetDevelopmentPrincipalResponseSchema> {
    if (!isDevelopmentEnvironment(this.config.ENVIRONMENT)) {
      throw new FailedPreconditionError('The development user exists only in development environments');
    }
    return { principal: { tenantId: DEVELOPMENT_TENANT_ID, userId: DEVELOPMENT_USER_ID } };
  }

  @GrpcMethod('AuthService', 'Register')
  async register(@Payload() request: RegisterRequest): Promise<MessageInitShape<typeof RegisterResponseSchema>> {
    const { user, tokens, apiKey } = await this.accounts.register(
      { email: request.email, username: request.username, password: request.password, fullName: request.fullName || undefined },
      AuthMapper.client(request.client),
    );
    return { user: AuthMapper.user(user), tokens: AuthMapper.tokens(tokens), apiKey };
  }

  @GrpcMethod('AuthService', 'Login')
  async login(@Payload() request: LoginRequest): Promise<MessageInitShape<typeof LoginResponseSchema>> {
    const { user, tokens } = await this.accounts.login(request.email, request.password, AuthMapper.client(request.client));
    return { user: AuthMapper.user(user), tokens: AuthMapper.tokens(tokens) };
  }

  @GrpcMethod('AuthService', 'RefreshToken')
  async refreshToken(@Payload() request: RefreshTokenRequest): Promise<MessageInitShape<typeof RefreshTokenResponseSchema>> {
    return { tokens: AuthMapper.tokens(await this.tokens.refresh(request.refreshToken, AuthMapper.client(request.client))) };
  }

  @GrpcMethod('AuthService', 'GetCurrentUser')
  async getCurrentUser(@Payload() _request: unknown, @Caller() caller: CallerIdentity): Promise<MessageInitShape<typeof GetCurrentUserResponseSchema>> {
    return { user: AuthMapper.user(await this.accounts.currentUser(caller)) };
  }

  @GrpcMethod('AuthService', 'ListApiKeys')
  async listApiKeys(@Payload() _request: unknown, @Caller() caller: CallerIdentity): Promise<MessageInitShape<typeof ListApiKeysResponseSchema>> {
    return { keys: (await this.apiKeys.list(caller)).map(AuthMapper.apiKey) };
  }

  @GrpcMethod('AuthService', 'CreateApiKey')
  async createApiKey(@Payload() request: CreateApiKeyRequest, @Caller() caller: CallerIdentity): Promise<MessageInitShape<typeof CreateApiKeyResponseSchema>> {
    const { key, apiKey } = await this.apiKeys.create(
      caller,
      { name: request.name, description: request.description || undefined, expiresInDays: request.expiresInDays || undefined },
      AuthMapper.client(request.client),
    );
    return { key: AuthMapper.apiKey(key), apiKey };
  }

  @GrpcMethod('AuthService', 'RevokeApiKey')
  async revokeApiKey(@Payload() request: RevokeApiKeyRequest, @Caller() caller: CallerIdentity): Promise<MessageInitShape<typeof RevokeApiKeyResponseSchema>> {
    await this.apiKeys.revoke(caller, request.id, AuthMapper.client(request.client));
    return {};
  }
}
