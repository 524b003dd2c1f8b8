import { ConflictError, UnauthenticatedError, ValidationError } from '@shannon/errors';
import type { AuditLogRepository } from '../audit/audit-log.repository';
import type { PasswordHasher } from '../passwords/password-hasher';
import { sha256Hex } from '../secrets/secret-hash';
import type { TokenService } from '../tokens/token.service';
import { AccountService, EMAIL_TAKEN, INVALID_CREDENTIALS, USERNAME_TAKEN } from './account.service';
import type { UserRepository, UserRow } from './user.repository';

describe(AccountService.name, () => {
  const now = new Date('2026-12-01T10:00:00Z');
  const user: UserRow = {
    id: 'u1',
    tenantId: 't1',
    email: 'ada@example.com',
    username: 'ada',
    fullName: null,
    role: 'owner',
    passwordHash: 'scrypt$stored',
    createdAt: now,
    plan: 'free',
  };
  const pair = { accessToken: 'a', refreshToken: 'r', expiresIn: 3600 };
  let users: jest.Mocked<Pick<UserRepository, 'findByEmail' | 'findById' | 'emailOrUsernameTaken' | 'createAccount' | 'recordLogin'>>;
  let passwords: jest.Mocked<Pick<PasswordHasher, 'hash' | 'verify'>>;
  let tokens: jest.Mocked<Pick<TokenService, 'startSession'>>;
  let audit: jest.Mocked<Pick<AuditLogRepository, 'record'>>;
  let sut: AccountService;

  beforeEach(() => {
    users = {
      findByEmail: jest.fn(),
      findById: jest.fn(),
      emailOrUsernameTaken: jest.fn().mockResolvedValue(null),
      createAccount: jest.fn().mockResolvedValue({ user, apiKeyId: 'k1' }),
      recordLogin: jest.fn().mockResolvedValue(undefined),
    };
    passwords = { hash: jest.fn().mockResolvedValue('scrypt$new'), verify: jest.fn() };
    tokens = { startSession: jest.fn().mockResolvedValue(pair) };
    audit = { record: jest.fn().mockResolvedValue(undefined) };
    sut = new AccountService(
      users as unknown as UserRepository,
      passwords as unknown as PasswordHasher,
      tokens as unknown as TokenService,
      audit as unknown as AuditLogRepository,
      () => now,
    );
  });

  describe('register', () => {
    const input = { email: ' Ada@Example.com ', username: 'ada', password: 'long enough', fullName: ' Ada ' };

    it('stores the hashed password and the hash of a fresh first key, and signs the owner in', async () => {
      const result = await sut.register(input, {});
      expect(users.createAccount).toHaveBeenCalledWith({
        email: 'ada@example.com',
        username: 'ada',
        fullName: 'Ada',
        passwordHash: 'scrypt$new',
        firstKey: { name: 'Default API Key', prefix: result.apiKey.slice(0, 8), keyHash: sha256Hex(result.apiKey) },
      });
      expect(passwords.hash).toHaveBeenCalledWith('long enough');
      expect(result).toEqual({ user, tokens: pair, apiKey: expect.stringMatching(/^sk_[0-9a-f]{64}$/) });
      expect(tokens.startSession).toHaveBeenCalledWith({ tenantId: 't1', userId: 'u1' });
    });

    it.each([
      ['email', EMAIL_TAKEN],
      ['username', USERNAME_TAKEN],
    ] as const)('refuses a taken %s', async (taken, message) => {
      users.emailOrUsernameTaken.mockResolvedValue(taken);
      await expect(sut.register(input, {})).rejects.toEqual(new ConflictError(message));
      expect(users.createAccount).not.toHaveBeenCalled();
    });

    it('refuses when a concurrent registration won the race', async () => {
      users.createAccount.mockResolvedValue(null);
      await expect(sut.register(input, {})).rejects.toBeInstanceOf(ConflictError);
      expect(tokens.startSession).not.toHaveBeenCalled();
    });

    it('validates before hashing or storing anything', async () => {
      await expect(sut.register({ ...input, email: '' }, {})).rejects.toEqual(new ValidationError('email is required'));
      await expect(sut.register({ ...input, fullName: 'x'.repeat(101) }, {})).rejects.toEqual(new ValidationError('full_name must be at most 100 printable characters'));
      expect(passwords.hash).not.toHaveBeenCalled();
    });
  });

  describe('login', () => {
    it('signs in with the right password and records it', async () => {
      users.findByEmail.mockResolvedValue(user);
      passwords.verify.mockResolvedValue(true);
      await expect(sut.login('ADA@example.com', 'pw', { ipAddress: '1.2.3.4' })).resolves.toEqual({ user, tokens: pair });
      expect(users.findByEmail).toHaveBeenCalledWith('ada@example.com');
      expect(users.recordLogin).toHaveBeenCalledWith('u1', now);
      expect(audit.record).toHaveBeenCalledWith({ type: 'login', tenantId: 't1', userId: 'u1', client: { ipAddress: '1.2.3.4' } });
    });

    it('hashes even for an unknown email, and fails it like a wrong password', async () => {
      users.findByEmail.mockResolvedValue(null);
      passwords.verify.mockResolvedValue(false);
      await expect(sut.login('nobody@example.com', 'pw', {})).rejects.toEqual(new UnauthenticatedError(INVALID_CREDENTIALS));
      expect(passwords.verify).toHaveBeenCalledWith('pw', undefined);

      users.findByEmail.mockResolvedValue(user);
      await expect(sut.login('ada@example.com', 'wrong', {})).rejects.toEqual(new UnauthenticatedError(INVALID_CREDENTIALS));
      expect(audit.record).toHaveBeenLastCalledWith({ type: 'login_failed', tenantId: 't1', userId: 'u1', client: {} });
      expect(tokens.startSession).not.toHaveBeenCalled();
    });
  });
});
