import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Injectable } from '@nestjs/common';
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
  User,
} from '@shannon/contracts';
import { ApiKeyRevocations } from '../auth/api-key-revocations';
import { InternalClients } from '../clients/internal-clients';
import type { RequestClient } from '../http/client-info';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { rateLimitWindows, type WindowLimits, windowLimits } from '../rate-limit/rate-limit-windows';
import { AccountPresenter } from './account.presenter';

function answered<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new Error(`The auth service answered without ${what}`);
  }
  return value;
}

/** Where `quotas.monthly_usage` starts counting: the first day of the month, UTC. */
export function startOfUtcMonth(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/**
 * The REST side of accounts and keys: calls the auth service (and, for /me, the task service's
 * usage and the caller's rate-limit bucket), shapes the answer.
 */
@Injectable()
export class AccountGatewayService {
  constructor(
    private readonly clients: InternalClients,
    private readonly revocations: ApiKeyRevocations,
    private readonly limiter: RateLimiter,
  ) {}

  async register(body: RegisterDto, client: RequestClient): Promise<AuthSessionResponse> {
    const answer = await this.clients.auth.register({ email: body.email, username: body.username, password: body.password, fullName: body.full_name ?? '', client });
    const user = answered(answer.user, 'a user');
    return AccountPresenter.session(user, answered(answer.tokens, 'tokens'), answer.apiKey, true, this.signedInLimits(user));
  }

  async login(body: LoginDto, client: RequestClient): Promise<AuthSessionResponse> {
    const answer = await this.clients.auth.login({ email: body.email, password: body.password, client });
    const user = answered(answer.user, 'a user');
    return AccountPresenter.session(user, answered(answer.tokens, 'tokens'), '', false, this.signedInLimits(user));
  }

  /** The limits the new access token is held to: one bucket per user, sized by the tenant's plan. */
  private signedInLimits(user: User): WindowLimits {
    return windowLimits(this.limiter.limitsFor({ tenantId: user.tenantId, userId: user.userId, plan: user.plan }));
  }

  async refresh(body: RefreshTokenDto, client: RequestClient): Promise<TokenRefreshedResponse> {
    const { tokens } = await this.clients.auth.refreshToken({ refreshToken: body.refresh_token, client });
    return AccountPresenter.refreshed(answered(tokens, 'tokens'));
  }

  /** The caller, the tenant's token usage this month and the caller's bucket (after this request's own token). */
  async me(principal: Principal): Promise<MeResponse> {
    const headers = identityHeaders(principal);
    const [{ user }, usage, bucket] = await Promise.all([
      this.clients.auth.getCurrentUser({}, { headers }),
      this.clients.task.getTenantUsage({ since: timestampFromDate(startOfUtcMonth(new Date())) }, { headers }),
      this.limiter.standing(principal),
    ]);
    return AccountPresenter.me(answered(user, 'a user'), rateLimitWindows(bucket.limits, bucket.available), usage.inputTokens + usage.outputTokens);
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
