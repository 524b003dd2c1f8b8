import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiSecurity, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Public } from '@shannon/auth';
import {
  ApiKeyCreatedResponse,
  ApiKeyListResponse,
  ApiKeyRevokedResponse,
  AuthSessionResponse,
  CreateApiKeyDto,
  ErrorResponse,
  LoginDto,
  MeResponse,
  RefreshTokenDto,
  RegisterDto,
  TokenRefreshedResponse,
} from '@shannon/contracts';
import { Client, type RequestClient } from '../http/client-info';
import { RateLimitByIp } from '../rate-limit/rate-limit-by-ip.decorator';
import { AccountGatewayService } from './account-gateway.service';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly accounts: AccountGatewayService) {}

  /** A new account: its own tenant, a first API key (shown once) and a token pair. */
  @Post('register')
  @Public()
  @RateLimitByIp()
  @HttpCode(201)
  @ApiCreatedResponse({ type: AuthSessionResponse })
  @ApiTooManyRequestsResponse({ type: ErrorResponse })
  register(@Body() body: RegisterDto, @Client() client: RequestClient): Promise<AuthSessionResponse> {
    return this.accounts.register(body, client);
  }

  @Post('login')
  @Public()
  @RateLimitByIp()
  @HttpCode(200)
  @ApiOkResponse({ type: AuthSessionResponse })
  login(@Body() body: LoginDto, @Client() client: RequestClient): Promise<AuthSessionResponse> {
    return this.accounts.login(body, client);
  }

  /** Spends a refresh token for a new pair; a token used twice revokes its whole login. */
  @Post('refresh')
  @Public()
  @RateLimitByIp()
  @HttpCode(200)
  @ApiOkResponse({ type: TokenRefreshedResponse })
  refresh(@Body() body: RefreshTokenDto, @Client() client: RequestClient): Promise<TokenRefreshedResponse> {
    return this.accounts.refresh(body, client);
  }

  @Get('me')
  @ApiSecurity('apiKey')
  @ApiOkResponse({ type: MeResponse })
  me(@CurrentPrincipal() principal: Principal): Promise<MeResponse> {
    return this.accounts.me(principal);
  }

  @Get('api-keys')
  @ApiSecurity('apiKey')
  @ApiOkResponse({ type: ApiKeyListResponse })
  listKeys(@CurrentPrincipal() principal: Principal): Promise<ApiKeyListResponse> {
    return this.accounts.listKeys(principal);
  }

  @Post('api-keys')
  @ApiSecurity('apiKey')
  @HttpCode(201)
  @ApiCreatedResponse({ type: ApiKeyCreatedResponse })
  createKey(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiKeyDto, @Client() client: RequestClient): Promise<ApiKeyCreatedResponse> {
    return this.accounts.createKey(principal, body, client);
  }

  @Delete('api-keys/:id')
  @ApiSecurity('apiKey')
  @HttpCode(200)
  @ApiOkResponse({ type: ApiKeyRevokedResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  revokeKey(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Client() client: RequestClient): Promise<ApiKeyRevokedResponse> {
    return this.accounts.revokeKey(principal, id, client);
  }
}
