import { create } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError } from '@connectrpc/connect';
import { PrincipalSchema } from '@shannon/contracts';
import { ErrorCode, UnauthenticatedError } from '@shannon/errors';
import { ERROR_CODE_METADATA_KEY } from '@shannon/grpc';
import type { InternalClients } from '../clients/internal-clients';
import type { GatewayConfig } from '../config';
import type { CredentialSource } from './credentials';
import { AUTHENTICATION_REQUIRED, INVALID_API_KEY, INVALID_TOKEN, PrincipalResolver } from './principal.resolver';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln';
const principal = create(PrincipalSchema, { tenantId: 't1', userId: 'u1', apiKeyId: 'k1', plan: 'pro', rateLimitRpm: 5 });
const unauthenticated = () => new ConnectError('nope', Code.Unauthenticated, { [ERROR_CODE_METADATA_KEY]: ErrorCode.Unauthenticated });
const request = (headers: CredentialSource['headers'], url = '/api/v1/tasks'): CredentialSource => ({ method: 'GET', url, headers });

describe(PrincipalResolver.name, () => {
  let auth: { validateApiKey: jest.Mock; validateAccessToken: jest.Mock; getDevelopmentPrincipal: jest.Mock };
  const build = (overrides: Partial<GatewayConfig> = {}) =>
    new PrincipalResolver({ auth } as unknown as InternalClients, { GATEWAY_SKIP_AUTH: false, AUTH_CACHE_TTL_MS: 30_000, ...overrides } as GatewayConfig);

  beforeEach(() => {
    auth = {
      validateApiKey: jest.fn().mockResolvedValue({ principal }),
      validateAccessToken: jest.fn().mockResolvedValue({ principal: create(PrincipalSchema, { tenantId: 't1', userId: 'u1' }), expiresAt: timestampFromMs(Date.now() + 60_000) }),
      getDevelopmentPrincipal: jest.fn().mockResolvedValue({ principal: create(PrincipalSchema, { tenantId: 'dev-t', userId: 'dev-u' }) }),
    };
  });

  it('resolves an API key once and then from the cache, with plan and overrides', async () => {
    const sut = build();
    const expected = { tenantId: 't1', userId: 'u1', apiKeyId: 'k1', plan: 'pro', rateLimit: { rpm: 5, burst: undefined } };
    await expect(sut.resolve(request({ 'x-api-key': 'sk_a' }))).resolves.toEqual(expected);
    await expect(sut.resolve(request({ authorization: 'Bearer sk_a' }))).resolves.toEqual(expected);
    expect(auth.validateApiKey).toHaveBeenCalledTimes(1);
  });

  it('asks again after a revocation on this replica', async () => {
    const sut = build();
    await sut.resolve(request({ 'x-api-key': 'sk_a' }));
    sut.forgetApiKey('k1');
    await sut.resolve(request({ 'x-api-key': 'sk_a' }));
    expect(auth.validateApiKey).toHaveBeenCalledTimes(2);
  });

  it('resolves an access token through the auth service', async () => {
    await expect(build().resolve(request({ authorization: `Bearer ${JWT}` }))).resolves.toEqual({ tenantId: 't1', userId: 'u1', apiKeyId: undefined, plan: undefined, rateLimit: undefined });
    expect(auth.validateAccessToken).toHaveBeenCalledWith({ accessToken: JWT });
  });

  it.each([
    ['no credential', {}, AUTHENTICATION_REQUIRED],
    ['an unknown key', { 'x-api-key': 'sk_unknown' }, INVALID_API_KEY],
    ['a bad token', { authorization: `Bearer ${JWT}` }, INVALID_TOKEN],
    ['garbage after Bearer', { authorization: 'Bearer garbage' }, INVALID_TOKEN],
    ['garbage in X-API-Key', { 'x-api-key': 'garbage' }, INVALID_API_KEY],
  ])('answers %s with the exact 401 message', async (_label, headers, message) => {
    auth.validateApiKey.mockRejectedValue(unauthenticated());
    auth.validateAccessToken.mockRejectedValue(unauthenticated());
    await expect(build().resolve(request(headers))).rejects.toEqual(new UnauthenticatedError(message));
  });

  it('refuses an oversized credential without asking the auth service', async () => {
    await expect(build().resolve(request({ 'x-api-key': `sk_${'a'.repeat(5_000)}` }))).rejects.toEqual(new UnauthenticatedError(INVALID_API_KEY));
    await expect(build().resolve(request({ authorization: `Bearer ${'a'.repeat(5_000)}` }))).rejects.toEqual(new UnauthenticatedError(INVALID_TOKEN));
    expect(auth.validateApiKey).not.toHaveBeenCalled();
    expect(auth.validateAccessToken).not.toHaveBeenCalled();
  });

  it('lets an unavailable auth service surface as such, not as a 401', async () => {
    const down = new ConnectError('down', Code.Unavailable);
    auth.validateApiKey.mockRejectedValue(down);
    await expect(build().resolve(request({ 'x-api-key': 'sk_a' }))).rejects.toBe(down);
  });

  describe('with GATEWAY_SKIP_AUTH', () => {
    it('acts as the development user without credentials, asking once', async () => {
      const sut = build({ GATEWAY_SKIP_AUTH: true });
      await expect(sut.resolve(request({}))).resolves.toMatchObject({ tenantId: 'dev-t', userId: 'dev-u' });
      await sut.resolve(request({}));
      expect(auth.getDevelopmentPrincipal).toHaveBeenCalledTimes(1);
    });

    it('still checks a credential that is sent', async () => {
      auth.validateApiKey.mockRejectedValue(unauthenticated());
      await expect(build({ GATEWAY_SKIP_AUTH: true }).resolve(request({ 'x-api-key': 'sk_wrong' }))).rejects.toEqual(new UnauthenticatedError(INVALID_API_KEY));
    });
  });
});
