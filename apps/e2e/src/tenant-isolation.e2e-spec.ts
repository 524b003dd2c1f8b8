/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are checked by the assertions */
import { waitFor } from '@shannon/testing';
import { randomBytes } from 'node:crypto';
import { type RunningStack, startTestStack } from './running-stack';
import { json } from './task-api';

/** What the owning tenant has, for the stranger to try to reach. */
interface Owned {
  taskId: string;
  sessionId: string;
  /** A session the owner named with a client id of its own. */
  clientSessionId: string;
  apiKeyId: string;
  refreshToken: string;
}

interface Account {
  userId: string;
  tenantId: string;
  apiKey: string;
  accessToken: string;
  refreshToken: string;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';


/**
 * How a route must treat another tenant:
 * - `not-found`: the owner's resource answers 404 to the stranger (and 2xx to the owner);
 * - `own-only`: a list that shows the stranger only their own things (`ids` reads what it lists);
 * - `self`: answers about the caller only (`subject` reads whose data it is);
 * - `public`: no caller (accounts, health); nothing tenant-owned is reachable through it.
 */
type Rule =
  | { kind: 'not-found'; request: (owned: Owned) => { path: string; body?: unknown } }
  | { kind: 'own-only'; request: (owned: Owned) => { path: string; body?: unknown }; ids: (body: any) => string[]; owned: (owned: Owned) => string }
  | { kind: 'self'; request: (owned: Owned) => { path: string; body?: unknown }; subject: (body: any) => string }
  | { kind: 'public'; why: string };

/**
 * Every route of the public API (as /openapi.json lists it), one line each. A route that is
 * missing here fails the walk, so a new route cannot ship without saying how it keeps tenants apart.
 */
const ROUTES: [Method, string, Rule][] = [
  ['GET', '/health', { kind: 'public', why: 'process liveness' }],
  ['GET', '/readiness', { kind: 'public', why: 'dependency checks' }],
  ['POST', '/api/v1/auth/register', { kind: 'public', why: 'creates a new tenant' }],
  ['POST', '/api/v1/auth/login', { kind: 'public', why: 'answers only to the account’s own password' }],
  ['POST', '/api/v1/auth/refresh', { kind: 'public', why: 'answers only to the holder of the refresh token' }],
  ['GET', '/api/v1/auth/me', { kind: 'self', request: () => ({ path: '/api/v1/auth/me' }), subject: (body) => body.tenant_id }],
  ['GET', '/api/v1/auth/api-keys', { kind: 'own-only', request: () => ({ path: '/api/v1/auth/api-keys' }), ids: (body) => body.keys.map((k: any) => k.id), owned: (o) => o.apiKeyId }],
  ['POST', '/api/v1/auth/api-keys', { kind: 'self', request: () => ({ path: '/api/v1/auth/api-keys', body: { name: 'stranger key' } }), subject: (body) => body.id }],
  ['DELETE', '/api/v1/auth/api-keys/{id}', { kind: 'not-found', request: (o) => ({ path: `/api/v1/auth/api-keys/${o.apiKeyId}` }) }],
  ['GET', '/api/v1/tasks', { kind: 'own-only', request: () => ({ path: '/api/v1/tasks?limit=100' }), ids: (body) => body.tasks.map((t: any) => t.task_id), owned: (o) => o.taskId }],
  ['GET', '/api/v1/tasks?session_id', { kind: 'own-only', request: (o) => ({ path: `/api/v1/tasks?session_id=${o.sessionId}` }), ids: (body) => body.tasks.map((t: any) => t.task_id), owned: (o) => o.taskId }],
  // Submitting into another tenant's session must not join it.
  ['POST', '/api/v1/tasks', { kind: 'not-found', request: (o) => ({ path: '/api/v1/tasks', body: { query: 'join their session?', session_id: o.sessionId } }) }],
  ['GET', '/api/v1/tasks/{id}', { kind: 'not-found', request: (o) => ({ path: `/api/v1/tasks/${o.taskId}` }) }],
  ['GET', '/api/v1/tasks/{id}/events', { kind: 'not-found', request: (o) => ({ path: `/api/v1/tasks/${o.taskId}/events` }) }],
  ['POST', '/api/v1/tasks/{id}/cancel', { kind: 'not-found', request: (o) => ({ path: `/api/v1/tasks/${o.taskId}/cancel`, body: { reason: 'not yours' } }) }],
  ['POST', '/api/v1/tasks/{id}/pause', { kind: 'not-found', request: (o) => ({ path: `/api/v1/tasks/${o.taskId}/pause`, body: {} }) }],
  ['POST', '/api/v1/tasks/{id}/resume', { kind: 'not-found', request: (o) => ({ path: `/api/v1/tasks/${o.taskId}/resume`, body: {} }) }],
  ['POST', '/api/v1/tasks/stream', { kind: 'not-found', request: (o) => ({ path: '/api/v1/tasks/stream', body: { query: 'join their session?', session_id: o.sessionId } }) }],
  ['GET', '/api/v1/tasks/{id}/timeline', { kind: 'not-found', request: (o) => ({ path: `/api/v1/tasks/${o.taskId}/timeline` }) }],
  ['GET', '/api/v1/tasks/{id}/stream', { kind: 'not-found', request: (o) => ({ path: `/api/v1/tasks/${o.taskId}/stream` }) }],
  ['GET', '/api/v1/stream/sse', { kind: 'not-found', request: (o) => ({ path: `/api/v1/stream/sse?workflow_id=${o.taskId}` }) }],
  // Refused before any upgrade: a plain GET gets the same 401/404 a WebSocket handshake would.
  ['GET', '/api/v1/stream/ws', { kind: 'not-found', request: (o) => ({ path: `/api/v1/stream/ws?workflow_id=${o.taskId}` }) }],
  ['GET', '/api/v1/tasks/{id}/control-state', { kind: 'not-found', request: (o) => ({ path: `/api/v1/tasks/${o.taskId}/control-state` }) }],
  ['GET', '/api/v1/sessions', { kind: 'own-only', request: () => ({ path: '/api/v1/sessions?limit=100' }), ids: (body) => body.sessions.map((x: any) => x.session_id), owned: (o) => o.sessionId }],
  ['GET', '/api/v1/sessions/{id}', { kind: 'not-found', request: (o) => ({ path: `/api/v1/sessions/${o.sessionId}` }) }],
  ['GET', '/api/v1/sessions/{id}?client id', { kind: 'not-found', request: (o) => ({ path: `/api/v1/sessions/${o.clientSessionId}` }) }],
  ['GET', '/api/v1/sessions/{id}/history', { kind: 'not-found', request: (o) => ({ path: `/api/v1/sessions/${o.sessionId}/history` }) }],
  ['GET', '/api/v1/sessions/{id}/events', { kind: 'not-found', request: (o) => ({ path: `/api/v1/sessions/${o.sessionId}/events` }) }],
  ['PATCH', '/api/v1/sessions/{id}', { kind: 'not-found', request: (o) => ({ path: `/api/v1/sessions/${o.sessionId}`, body: { title: 'taken over' } }) }],
  ['DELETE', '/api/v1/sessions/{id}', { kind: 'not-found', request: (o) => ({ path: `/api/v1/sessions/${o.sessionId}` }) }],
];

/** Several lines may try one OpenAPI route (a query filter, a client id): `?` starts the variant. */
const routeOf = (path: string) => path.split('?')[0];

describe('tenant isolation: every public route, two tenants', () => {
  let stack: RunningStack;
  let owner: Account;
  let stranger: Account;
  let owned: Owned;
  const call = (account: Account | undefined, method: Method, path: string, body?: unknown) =>
    stack.api(path, {
      method,
      headers: { ...(account ? { 'X-API-Key': account.apiKey } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  async function register(): Promise<Account> {
    const id = randomBytes(5).toString('hex');
    const response = await stack.api('/api/v1/auth/register', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: `tenant-${id}@example.com`, username: `tenant_${id}`, password: 'isolation-password' }),
    });
    const body = await json(response);
    return { userId: body.user_id, tenantId: body.tenant_id, apiKey: body.api_key, accessToken: body.access_token, refreshToken: body.refresh_token };
  }

  beforeAll(async () => {
    stack = await startTestStack({ GATEWAY_SKIP_AUTH: '0' });
    [owner, stranger] = [await register(), await register()];
    const submitted = await json(await call(owner, 'POST', '/api/v1/tasks', { query: 'What is the capital of France?' }));
    const clientSessionId = `walk-chat-${randomBytes(4).toString('hex')}`;
    expect((await call(owner, 'POST', '/api/v1/tasks', { query: 'What is 2 + 2?', session_id: clientSessionId })).status).toBe(200);
    await waitFor(
      async () => {
        const page = await json(await call(owner, 'GET', `/api/v1/tasks/${submitted.task_id}/events`));
        return page.events?.some((e: { type: string }) => e.type === 'STREAM_END');
      },
      { timeoutMs: 30_000, description: 'the owner’s task to finish with its events' },
    );
    const keys = await json(await call(owner, 'GET', '/api/v1/auth/api-keys'));
    owned = { taskId: submitted.task_id, sessionId: submitted.session_id, clientSessionId, apiKeyId: keys.keys[0].id, refreshToken: owner.refreshToken };
  }, 150_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('covers every route the gateway serves (a new route needs a line in ROUTES)', async () => {
    const document = await json(await stack.api('/openapi.json'));
    const served = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const covered = new Set(ROUTES.map(([method, path]) => `${method} ${routeOf(path)}`));
    expect(served.filter((route) => !covered.has(route))).toEqual([]);
    expect([...covered].filter((route) => !served.includes(route))).toEqual([]);
  });

  describe.each(ROUTES.filter(([, , rule]) => rule.kind !== 'public'))('%s %s', (method, path, rule) => {
    it('requires credentials', async () => {
      const { path: url, body } = (rule as Exclude<Rule, { kind: 'public' }>).request(owned);
      const response = await call(undefined, method, url, body);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'Authentication required' });
    });

    it('keeps the other tenant out', async () => {
      switch (rule.kind) {
        case 'not-found': {
          const { path: url, body } = rule.request(owned);
          const response = await call(stranger, method, url, body);
          expect(response.status).toBe(404);
          expect((await json(response)).error).toMatch(/not found/i);
          break;
        }
        case 'own-only': {
          const { path: url } = rule.request(owned);
          const theirs = rule.ids(await json(await call(stranger, method, url)));
          const mine = rule.ids(await json(await call(owner, method, url)));
          expect(mine).toContain(rule.owned(owned));
          expect(theirs).not.toContain(rule.owned(owned));
          break;
        }
        case 'self': {
          const { path: url, body } = rule.request(owned);
          const response = await call(stranger, method, url, body);
          expect(response.status).toBeLessThan(300);
          const subject = rule.subject(await response.json());
          expect([owner.tenantId, owned.apiKeyId, owned.taskId]).not.toContain(subject);
          break;
        }
        case 'public':
          throw new Error(`${path} is public`);
      }
    });
  });

  it("leaves the owner's things intact after the stranger's attempts", async () => {
    expect((await call(owner, 'GET', `/api/v1/tasks/${owned.taskId}`)).status).toBe(200);
    const keys = await json(await call(owner, 'GET', '/api/v1/auth/api-keys'));
    expect(keys.keys.find((k: any) => k.id === owned.apiKeyId)?.is_active).toBe(true);
    const tasks = await json(await call(owner, 'GET', `/api/v1/tasks?session_id=${owned.sessionId}`));
    expect(tasks.tasks.map((t: any) => t.task_id)).toEqual([owned.taskId]);
    const session = await call(owner, 'GET', `/api/v1/sessions/${owned.sessionId}`);
    expect(session.status).toBe(200);
    expect((await json(session)).title).not.toBe('taken over');
    expect((await call(owner, 'GET', `/api/v1/tasks/${owned.taskId}/control-state`)).status).toBe(200);
  });

  it('treats a refresh token as its holder’s credential: a spent one replayed is refused', async () => {
    const refresh = () => stack.api('/api/v1/auth/refresh', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refresh_token: owned.refreshToken }) });
    expect((await refresh()).status).toBe(200);
    expect((await refresh()).status).toBe(401);
  });
});
