import { ConflictError, ErrorCode, UnauthenticatedError, ValidationError } from '@shannon/errors';
import type { AuditLogRepository } from '../audit/audit-log.repository';
import { sha256Hex } from '../secrets/secret-hash';
import type { ApiKeyRepository, ApiKeyRow, StoredApiKey } from './api-key.repository';
import { API_KEY_NOT_FOUND, ApiKeyService, INVALID_API_KEY } from './api-key.service';

describe(ApiKeyService.name, () => {
  const now = new Date('2026-11-24T10:00:00Z');
  const caller = { tenantId: 't1', userId: 'u1' };
  const stored: StoredApiKey = {
    id: 'k1',
    tenantId: 't1',
    userId: 'u1',
    keyHash: sha256Hex('sk_test_123456'),
    enabled: true,
    expiresAt: null,
    lastUsedAt: null,
    rateLimitRpm: null,
    rateLimitBurst: null,
    plan: 'free',
  };
  const row: ApiKeyRow = { id: 'k2', name: 'ci', description: null, prefix: 'sk_abcde', enabled: true, createdAt: now, lastUsedAt: null, expiresAt: null };
  let keys: jest.Mocked<Pick<ApiKeyRepository, 'findByHash' | 'touch' | 'listFor' | 'countEnabled' | 'create' | 'revoke'>>;
  let audit: jest.Mocked<Pick<AuditLogRepository, 'record'>>;
  let sut: ApiKeyService;

  beforeEach(() => {
    keys = {
      findByHash: jest.fn(),
      touch: jest.fn().mockResolvedValue(undefined),
      listFor: jest.fn(),
      countEnabled: jest.fn().mockResolvedValue(0),
      create: jest.fn().mockResolvedValue(row),
      revoke: jest.fn(),
    };
    audit = { record: jest.fn().mockResolvedValue(undefined) };
    sut = new ApiKeyService(keys as unknown as ApiKeyRepository, audit as unknown as AuditLogRepository, () => now);
  });

  describe('validate', () => {
    it('resolves a known key by its hash, with plan and overrides, and records its use', async () => {
      keys.findByHash.mockResolvedValue({ ...stored, rateLimitRpm: 5, plan: 'pro' });
      await expect(sut.validate('sk_test_123456')).resolves.toEqual({
        tenantId: 't1',
        userId: 'u1',
        apiKeyId: 'k1',
        plan: 'pro',
        rateLimit: { rpm: 5, burst: undefined },
      });
      expect(keys.findByHash).toHaveBeenCalledWith(sha256Hex('sk_test_123456'));
      expect(keys.touch).toHaveBeenCalledWith('k1', now);
      expect(audit.record).toHaveBeenCalledWith({ type: 'api_key_used', tenantId: 't1', userId: 'u1', apiKeyId: 'k1' });
    });

    it.each([
      ['unknown', null],
      ['disabled', { ...stored, enabled: false }],
      ['expired', { ...stored, expiresAt: new Date('2026-11-24T09:59:59Z') }],
      ['expiring this very moment', { ...stored, expiresAt: now }],
    ])('rejects a %s key with the same message', async (_label, found) => {
      keys.findByHash.mockResolvedValue(found);
      await expect(sut.validate('sk_test_123456')).rejects.toEqual(new UnauthenticatedError(INVALID_API_KEY));
    });

    it.each([
      ['no sk_ prefix', 'not-a-key'],
      ['empty', ''],
      ['only the prefix and spaces', 'sk_ abc'],
      ['oversized', `sk_${'a'.repeat(300)}`],
      ['SQL injection', "sk_' OR '1'='1"],
      ['JSON injection', 'sk_{"$ne":null}'],
      ['a control character', 'sk_abc\u0000def'],
    ])('rejects a malformed key (%s) without a look-up', async (_label, key) => {
      await expect(sut.validate(key)).rejects.toEqual(new UnauthenticatedError(INVALID_API_KEY));
      expect(keys.findByHash).not.toHaveBeenCalled();
    });

    it('does not rewrite last_used_at on every call', async () => {
      keys.findByHash.mockResolvedValue({ ...stored, lastUsedAt: new Date('2026-11-24T09:59:30Z') });
      await sut.validate('sk_test_123456');
      expect(keys.touch).not.toHaveBeenCalled();
      expect(audit.record).not.toHaveBeenCalled();
    });
  });

  describe('create', () => {
    it('returns an sk_ + 64 hex secret once and stores only its hash and prefix', async () => {
      const { apiKey, key } = await sut.create(caller, { name: '  ci  ', expiresInDays: 30 }, { ipAddress: '10.0.0.1' });
      expect(apiKey).toMatch(/^sk_[0-9a-f]{64}$/);
      expect(key).toBe(row);
      expect(keys.create).toHaveBeenCalledWith(caller, {
        name: 'ci',
        description: undefined,
        prefix: apiKey.slice(0, 8),
        keyHash: sha256Hex(apiKey),
        expiresAt: new Date('2026-12-24T10:00:00Z'),
      });
      expect(JSON.stringify(audit.record.mock.calls)).not.toContain(apiKey);
      expect(audit.record).toHaveBeenCalledWith(expect.objectContaining({ type: 'api_key_created', apiKeyId: 'k2', client: { ipAddress: '10.0.0.1' } }));
    });

    it.each([
      [{ name: '' }, 'Name is required'],
      [{ name: '   ' }, 'Name is required'],
      [{ name: 'x'.repeat(101) }, 'Name must be 100 characters or less'],
      [{ name: 'line\nbreak' }, 'Name must be 100 characters or less'],
      [{ name: 'ok', description: 'd'.repeat(501) }, 'Description must be 500 characters or less'],
      [{ name: 'ok', expiresInDays: 3_651 }, 'expires_in_days must be an integer from 1 to 3650'],
      [{ name: 'ok', expiresInDays: 1.5 }, 'expires_in_days must be an integer from 1 to 3650'],
    ])('refuses %j', async (input, message) => {
      await expect(sut.create(caller, input, {})).rejects.toEqual(new ValidationError(message));
      expect(keys.create).not.toHaveBeenCalled();
    });

    it('caps the number of active keys per user', async () => {
      keys.countEnabled.mockResolvedValue(100);
      await expect(sut.create(caller, { name: 'one too many' }, {})).rejects.toBeInstanceOf(ConflictError);
    });
  });

  describe('revoke', () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';

    it('disables one of the caller’s keys and audits it', async () => {
      keys.revoke.mockResolvedValue(true);
      await sut.revoke(caller, id.toUpperCase(), {});
      expect(keys.revoke).toHaveBeenCalledWith(caller, id, now);
      expect(audit.record).toHaveBeenCalledWith({ type: 'api_key_revoked', ...caller, apiKeyId: id, client: {} });
    });

    it('answers not found for a key it could not revoke (unknown, foreign or already revoked)', async () => {
      keys.revoke.mockResolvedValue(false);
      await expect(sut.revoke(caller, id, {})).rejects.toMatchObject({ code: ErrorCode.NotFound, message: API_KEY_NOT_FOUND });
      expect(audit.record).not.toHaveBeenCalled();
    });

    it.each(['not-a-uuid', "1' OR '1'='1", ''])('refuses the id %j before any look-up', async (bad) => {
      await expect(sut.revoke(caller, bad, {})).rejects.toEqual(new ValidationError('Invalid API key id'));
      expect(keys.revoke).not.toHaveBeenCalled();
    });
  });
});
