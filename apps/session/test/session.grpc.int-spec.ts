import { Code } from '@connectrpc/connect';
import { IDENTITY_SIGNATURE_METADATA_KEY, identityHeaders } from '@shannon/auth';
import { ErrorCode } from '@shannon/errors';
import { describeRemoteError, type GrpcClient } from '@shannon/grpc';
import type { SessionService } from '@shannon/contracts';
import { failureOf, newIdentity } from '@shannon/testing';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { as, type SessionTestApp, startSessionApp } from './session-test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The session service in-process over real gRPC, on the shared integration database. */
describe('session service over gRPC', () => {
  let service: SessionTestApp;
  let sut: GrpcClient<typeof SessionService>;
  let db: Client;

  beforeAll(async () => {
    service = await startSessionApp();
    sut = service.client;
    db = service.db;
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('creates a new session with a fresh UUID when no id is given', async () => {
    const identity = newIdentity();

    const first = await sut.resolveSession({ sessionId: '' }, as(identity));
    const second = await sut.resolveSession({ sessionId: '' }, as(identity));

    expect(first.created).toBe(true);
    expect(first.session?.id).toMatch(UUID);
    expect(first.session).toMatchObject({ tenantId: identity.tenantId, userId: identity.userId, externalId: '' });
    expect(second.created).toBe(true);
    expect(second.session?.id).not.toBe(first.session?.id);
  });

  it('creates a session for a client id once and returns the same one afterwards', async () => {
    const identity = newIdentity();

    const first = await sut.resolveSession({ sessionId: 'user-123-chat' }, as(identity));
    const second = await sut.resolveSession({ sessionId: 'user-123-chat' }, as(identity));

    expect(first.created).toBe(true);
    expect(first.session?.id).toMatch(UUID);
    expect(first.session?.externalId).toBe('user-123-chat');
    expect(second.created).toBe(false);
    expect(second.session?.id).toBe(first.session?.id);
    const fetched = await sut.getSession({ sessionId: 'user-123-chat' }, as(identity));
    expect(fetched.session?.id).toBe(first.session?.id);
  });

  it('gives 20 concurrent first requests for one client id one and the same session', async () => {
    const identity = newIdentity();
    const externalId = `race-${randomUUID()}`;

    const answers = await Promise.all(Array.from({ length: 20 }, () => sut.resolveSession({ sessionId: externalId }, as(identity))));

    const ids = new Set(answers.map((answer) => answer.session?.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((answer) => answer.created)).toHaveLength(1);
    const rows = await db.query('SELECT id FROM session.sessions WHERE tenant_id = $1 AND external_id = $2', [identity.tenantId, externalId]);
    expect(rows.rows.map((row) => row.id)).toEqual([...ids]);
  });

  it('keeps a UUID given by the client as the session id', async () => {
    const identity = newIdentity();
    const id = randomUUID();

    const first = await sut.resolveSession({ sessionId: id.toUpperCase() }, as(identity));
    const second = await sut.resolveSession({ sessionId: id }, as(identity));

    expect(first.created).toBe(true);
    expect(first.session?.id).toBe(id);
    expect(first.session?.externalId).toBe('');
    expect(second.created).toBe(false);
    expect(second.session?.id).toBe(id);
  });

  it('refuses a malformed session id', async () => {
    const error = await failureOf(sut.resolveSession({ sessionId: 'bad id!' }, as(newIdentity())));

    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.rawMessage).toBe('Invalid session_id format');
    expect(describeRemoteError(error).code).toBe(ErrorCode.ValidationFailed);
  });

  it("keeps tenants apart: the same client id names different sessions, and another tenant's session is not found", async () => {
    const tenantA = newIdentity();
    const tenantB = newIdentity();

    const a = await sut.resolveSession({ sessionId: 'user-123-chat' }, as(tenantA));
    const b = await sut.resolveSession({ sessionId: 'user-123-chat' }, as(tenantB));

    expect(a.created).toBe(true);
    expect(b.created).toBe(true);
    expect(b.session?.id).not.toBe(a.session?.id);
    expect(b.session?.tenantId).toBe(tenantB.tenantId);

    const sessionOfA = a.session?.id ?? '';
    const notFound = await failureOf(sut.getSession({ sessionId: sessionOfA }, as(tenantB)));
    expect(notFound.code).toBe(Code.NotFound);
    expect(notFound.rawMessage).toBe('Session not found');
    expect(describeRemoteError(notFound).code).toBe(ErrorCode.SessionNotFound);

    // Naming A's UUID must not let B join (or take over) A's session either.
    const joined = await failureOf(sut.resolveSession({ sessionId: sessionOfA }, as(tenantB)));
    expect(joined.code).toBe(Code.NotFound);
    const stillA = await sut.getSession({ sessionId: sessionOfA }, as(tenantA));
    expect(stillA.session?.tenantId).toBe(tenantA.tenantId);
  });

  it('refuses a call that carries no caller identity', async () => {
    const error = await failureOf(sut.resolveSession({ sessionId: '' }));

    expect(error.code).toBe(Code.Unauthenticated);
    expect(describeRemoteError(error)).toMatchObject({ code: ErrorCode.Unauthenticated, message: 'Caller identity missing from call metadata' });
  });

  it('refuses an identity that is not signed with the deployment’s secret, or is signed for someone else', async () => {
    const victim = newIdentity();
    const sessionId = (await sut.resolveSession({ sessionId: '' }, as(victim))).session?.id ?? '';
    const unsigned = { 'x-shannon-tenant-id': victim.tenantId, 'x-shannon-user-id': victim.userId };
    const signedForAnother = identityHeaders(newIdentity())[IDENTITY_SIGNATURE_METADATA_KEY];

    for (const headers of [unsigned, { ...unsigned, [IDENTITY_SIGNATURE_METADATA_KEY]: signedForAnother }]) {
      const error = await failureOf(sut.getSession({ sessionId }, { headers }));
      expect(error.code).toBe(Code.Unauthenticated);
      expect(error.rawMessage).toMatch(/not signed/);
    }
    expect((await sut.getSession({ sessionId }, as(victim))).session?.id).toBe(sessionId);
  });
});
