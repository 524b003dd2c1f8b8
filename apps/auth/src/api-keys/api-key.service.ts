import { Logger } from '@nestjs/common';
import type { CallerIdentity, Principal } from '@shannon/auth';
import { ConflictError, ErrorCode, NotFoundError, UnauthenticatedError, ValidationError } from '@shannon/errors';
import type { AuditLogRepository, ClientContext } from '../audit/audit-log.repository';
import { constantTimeEqual, sha256Hex } from '../secrets/secret-hash';
import { apiKeyPrefix, generateApiKey, looksLikeApiKey } from './api-key-format';
import type { ApiKeyRepository, ApiKeyRow } from './api-key.repository';

export const INVALID_API_KEY = 'Invalid API key';
export const API_KEY_NOT_FOUND = 'API key not found or already revoked';
/** last_used_at (and the api_key_used audit row) is written at most this often per key. */
const TOUCH_INTERVAL_MS = 60_000;
const MAX_ENABLED_KEYS = 100;
const MAX_EXPIRY_DAYS = 3_650;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

export interface ApiKeyPrincipal extends Principal {
  apiKeyId: string;
}

export interface NewApiKeyInput {
  name: string;
  description?: string;
  expiresInDays?: number;
}

export class ApiKeyService {
  private readonly logger = new Logger(ApiKeyService.name);

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly audit: AuditLogRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Unknown, disabled, expired and malformed keys all fail the same way. */
  async validate(apiKey: string): Promise<ApiKeyPrincipal> {
    if (!looksLikeApiKey(apiKey)) {
      throw new UnauthenticatedError(INVALID_API_KEY);
    }
    const hash = sha256Hex(apiKey);
    const key = await this.keys.findByHash(hash);
    const now = this.now();
    // The look-up is by hash (never by the secret); the comparison after it is constant-time.
    if (!key || !constantTimeEqual(key.keyHash, hash) || !key.enabled || (key.expiresAt && key.expiresAt <= now)) {
      throw new UnauthenticatedError(INVALID_API_KEY);
    }
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      Promise.all([this.keys.touch(key.id, now), this.audit.record({ type: 'api_key_used', tenantId: key.tenantId, userId: key.userId, apiKeyId: key.id })]).catch(
        (error: Error) => this.logger.warn(`Could not record key use: ${error.message}`),
      );
    }
    return {
      tenantId: key.tenantId,
      userId: key.userId,
      apiKeyId: key.id,
      plan: key.plan,
      rateLimit: { rpm: key.rateLimitRpm ?? undefined, burst: key.rateLimitBurst ?? undefined },
    };
  }

  list(caller: CallerIdentity): Promise<ApiKeyRow[]> {
    return this.keys.listFor(caller);
  }

  /** A new key for the caller; the secret is returned here and never again. */
  async create(caller: CallerIdentity, input: NewApiKeyInput, client: ClientContext): Promise<{ key: ApiKeyRow; apiKey: string }> {
    const name = input.name.trim();
    if (!name) {
      throw new ValidationError('Name is required');
    }
    if (name.length > 100 || CONTROL.test(name)) {
      throw new ValidationError('Name must be 100 characters or less');
    }
    const description = input.description?.trim() || undefined;
    if (description && description.length > 500) {
      throw new ValidationError('Description must be 500 characters or less');
    }
    const days = input.expiresInDays ?? 0;
    if (!Number.isInteger(days) || days < 0 || days > MAX_EXPIRY_DAYS) {
      throw new ValidationError(`expires_in_days must be an integer from 1 to ${MAX_EXPIRY_DAYS}`);
    }
    if ((await this.keys.countEnabled(caller)) >= MAX_ENABLED_KEYS) {
      throw new ConflictError(`At most ${MAX_ENABLED_KEYS} active API keys per user; revoke one first`);
    }
    const apiKey = generateApiKey();
    const key = await this.keys.create(caller, {
      name,
      description,
      prefix: apiKeyPrefix(apiKey),
      keyHash: sha256Hex(apiKey),
      expiresAt: days > 0 ? new Date(this.now().getTime() + days * 86_400_000) : undefined,
    });
    await this.audit.record({ type: 'api_key_created', ...caller, apiKeyId: key.id, client, details: { name } });
    return { key, apiKey };
  }

  /** Another user's, another tenant's, unknown and already revoked keys are all "not found". */
  async revoke(caller: CallerIdentity, id: string, client: ClientContext): Promise<void> {
    if (!UUID.test(id)) {
      throw new ValidationError('Invalid API key id');
    }
    if (!(await this.keys.revoke(caller, id.toLowerCase(), this.now()))) {
      throw new NotFoundError(ErrorCode.NotFound, API_KEY_NOT_FOUND);
    }
    await this.audit.record({ type: 'api_key_revoked', ...caller, apiKeyId: id.toLowerCase(), client });
  }
}
