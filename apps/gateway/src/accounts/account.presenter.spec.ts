import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { TokenPairSchema, UserSchema } from '@shannon/contracts';
import { AccountPresenter } from './account.presenter';

describe('AccountPresenter', () => {
  const user = create(UserSchema, {
    userId: 'u1',
    tenantId: 't1',
    email: 'ada@example.com',
    username: 'ada',
    fullName: 'Ada Lovelace',
    role: 'owner',
    plan: 'free',
    createdAt: timestampFromDate(new Date('2026-12-01T09:00:00Z')),
  });
  const tokens = create(TokenPairSchema, { accessToken: 'jwt', refreshToken: 'opaque', expiresIn: 3600 });

  it('answers register and login with Shannon’s session shape, quotas included (reference 4.6)', () => {
    expect(AccountPresenter.session(user, tokens, 'sk_new', true, { hour: 3_600, minute: 60 })).toEqual({
      user_id: 'u1',
      tenant_id: 't1',
      access_token: 'jwt',
      refresh_token: 'opaque',
      expires_in: 3600,
      token_type: 'Bearer',
      api_key: 'sk_new',
      tier: 'free',
      is_new_user: true,
      quotas: { monthly_tokens: 0, rate_limit_hour: 3_600, rate_limit_minute: 60 },
      user: { email: 'ada@example.com', username: 'ada', name: 'Ada Lovelace' },
    });
  });

  it('answers /auth/me with quotas and per-window rate limits (reference 4.5), and nothing else in rate_limits', () => {
    const windows = { hour: { limit: 3_600, remaining: 3_581 }, minute: { limit: 60, remaining: 41 } };
    expect(AccountPresenter.me(user, windows, 1_234n)).toEqual({
      user_id: 'u1',
      tenant_id: 't1',
      email: 'ada@example.com',
      username: 'ada',
      name: 'Ada Lovelace',
      role: 'owner',
      tier: 'free',
      created_at: '2026-12-01T09:00:00.000Z',
      quotas: { monthly_tokens: 0, monthly_usage: 1_234, rate_limit_hour: 3_600, rate_limit_minute: 60 },
      rate_limits: { hour: { limit: 3_600, remaining: 3_581 }, minute: { limit: 60, remaining: 41 } },
    });
  });
});
