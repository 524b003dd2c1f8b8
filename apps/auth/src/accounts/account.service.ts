import type { CallerIdentity } from '@shannon/auth';
import { ConflictError, UnauthenticatedError } from '@shannon/errors';
import { apiKeyPrefix, generateApiKey } from '../api-keys/api-key-format';
import type { AuditLogRepository, ClientContext } from '../audit/audit-log.repository';
import type { PasswordHasher } from '../passwords/password-hasher';
import { sha256Hex } from '../secrets/secret-hash';
import type { TokenPair, TokenService } from '../tokens/token.service';
import { normalizeEmail, parseRegistration, type RegistrationInput } from './account-input';
import type { UserRepository, UserRow } from './user.repository';

export const INVALID_CREDENTIALS = 'Invalid email or password';
export const EMAIL_TAKEN = 'Email already registered';
export const USERNAME_TAKEN = 'Username already taken';
const MAX_LOGIN_FIELD = 1_024;

export interface SignedIn {
  user: UserRow;
  tokens: TokenPair;
}

/** Registration, password login and the signed-in user. */
export class AccountService {
  constructor(
    private readonly users: UserRepository,
    private readonly passwords: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly audit: AuditLogRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A new tenant with its owner, a first API key (returned once) and a token pair. */
  async register(request: RegistrationInput, client: ClientContext): Promise<SignedIn & { apiKey: string }> {
    const input = parseRegistration(request);
    const taken = await this.users.emailOrUsernameTaken(input.email, input.username);
    if (taken) {
      throw new ConflictError(taken === 'email' ? EMAIL_TAKEN : USERNAME_TAKEN);
    }
    const apiKey = generateApiKey();
    const created = await this.users.createAccount({
      email: input.email,
      username: input.username,
      fullName: input.fullName,
      passwordHash: await this.passwords.hash(input.password),
      firstKey: { name: 'Default API Key', prefix: apiKeyPrefix(apiKey), keyHash: sha256Hex(apiKey) },
    });
    if (!created) {
      throw new ConflictError(`${EMAIL_TAKEN} (or username taken)`);
    }
    const { user, apiKeyId } = created;
    const owner = { tenantId: user.tenantId, userId: user.id };
    await this.audit.record({ type: 'account_created', ...owner, client });
    await this.audit.record({ type: 'api_key_created', ...owner, apiKeyId, client, details: { name: 'Default API Key' } });
    return { user, tokens: await this.tokens.startSession(owner), apiKey };
  }

  /** Unknown email and wrong password fail alike, after the same amount of hashing. */
  async login(email: string, password: string, client: ClientContext): Promise<SignedIn> {
    const user = email.length <= MAX_LOGIN_FIELD ? await this.users.findByEmail(normalizeEmail(email)) : null;
    const valid = password.length <= MAX_LOGIN_FIELD && (await this.passwords.verify(password, user?.passwordHash));
    if (!user || !valid) {
      await this.audit.record({ type: 'login_failed', tenantId: user?.tenantId, userId: user?.id, client });
      throw new UnauthenticatedError(INVALID_CREDENTIALS);
    }
    const owner = { tenantId: user.tenantId, userId: user.id };
    await this.users.recordLogin(user.id, this.now());
    await this.audit.record({ type: 'login', ...owner, client });
    return { user, tokens: await this.tokens.startSession(owner) };
  }

  async currentUser(caller: CallerIdentity): Promise<UserRow> {
    const user = await this.users.findById(caller.tenantId, caller.userId);
    if (!user) {
      throw new UnauthenticatedError('Authentication required');
    }
    return user;
  }
}
