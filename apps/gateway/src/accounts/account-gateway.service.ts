import { Inject, Injectable } from '@nestjs/common';
import { identityHeaders, type Principal } from '@shannon/auth';
import type {
  ApiKeyCreatedResponse,
  ApiKeyListResponse,
  ApiKeyRevokedResponse,
  AuthSessionResponse,
  CreateApiKeyDto,
  LoginDto,
  MeResponse,
  RefreshTokenDto,
  RegisterDto,
  TokenRefreshedResponse,
} from '@shannon/contracts';
import { ApiKeyRevocations } from '../auth/api-key-revocations';
import { InternalClients } from '../clients/internal-clients';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import type { RequestClient } from '../http/client-info';
import { RateLimitPolicy } from '../rate-limit/rate-limit.policy';
import { AccountPresenter } from './account.presenter';

function answered<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new Error(`The auth service answered without ${what}`);
  }
  return value;
}

/** The REST side of accounts and keys: calls the auth service, shapes the answer. */
@Injectable()
export class AccountGatewayService {
  private readonly limits: RateLimitPolicy;

  constructor(
    private readonly clients: InternalClients,
    private readonly revocations: ApiKeyRevocations,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.limits = new RateLimitPolicy(config);
  }

  async register(body: RegisterDto, client: RequestClient): Promise<AuthSessionResponse> {
    const answer = await this.clients.auth.register({ email: body.email, username: body.username, password: body.password, fullName: body.full_name ?? '', client });
    return AccountPresenter.session(answered(answer.user, 'a user'), answered(answer.tokens, 'tokens'), answer.apiKey, true);
  }

  async login(body: LoginDto, client: RequestClient): Promise<AuthSessionResponse> {
    const answer = await this.clients.auth.login({ email: body.email, password: body.password, client });
    return AccountPresenter.session(answered(answer.user, 'a user'), answered(answer.tokens, 'tokens'), '', false);
  }

  async refresh(body: RefreshTokenDto, client: RequestClient): Promise<TokenRefreshedResponse> {
    const { tokens } = await this.clients.auth.refreshToken({ refreshToken: body.refresh_token, client });
    return AccountPresenter.refreshed(answered(tokens, 'tokens'));
  }

  async me(principal: Principal): Promise<MeResponse> {
    const { user } = await this.clients.auth.getCurrentUser({}, { headers: identityHeaders(principal) });
    const { limits } = this.limits.forPrincipal(principal);
    return AccountPresenter.me(answered(user, 'a user'), { rpm: limits.perMinute, burst: limits.capacity });
  }

  async listKeys(principal: Principal): Promise<ApiKeyListResponse> {
    const { keys } = await this.clients.auth.listApiKeys({}, { headers: identityHeaders(principal) });
    return { keys: keys.map(AccountPresenter.key), total: keys.length };
  }

  async createKey(principal: Principal, body: CreateApiKeyDto, client: RequestClient): Promise<ApiKeyCreatedResponse> {
    const answer = await this.clients.auth.createApiKey(
      { name: body.name, description: body.description ?? '', expiresInDays: body.expires_in_days ?? 0, client },
      { headers: identityHeaders(principal) },
    );
    return AccountPresenter.created(answered(answer.key, 'a key'), answer.apiKey);
  }

  /** Revokes the key and tells every replica to drop it from its credential cache. */
  async revokeKey(principal: Principal, id: string, client: RequestClient): Promise<ApiKeyRevokedResponse> {
    await this.clients.auth.revokeApiKey({ id, client }, { headers: identityHeaders(principal) });
    await this.revocations.announce(id.toLowerCase());
    return { message: 'API key revoked successfully', success: true };
  }
}
