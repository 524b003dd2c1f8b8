import { Code } from '@connectrpc/connect';
import type { SessionService } from '@shannon/contracts';
import type { GrpcClient } from '@shannon/grpc';
import { connectTestDatabase, failureOf, newIdentity, waitFor } from '@shannon/testing';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { ulid } from 'ulid';
import { SessionSweeper } from '../src/retention/session-sweeper';
import { as, type SessionTestApp, startSessionApp } from './session-test-app';

// Sweeping removes every expired session of a database, so these tests use one of their own.
const DATABASE = 'shannon_retention_int_test';
const DAY_MS = 24 * 60 * 60 * 1000;
const newTaskId = () => `task_${ulid()}`;

describe('session retention', () => {
  describe('with the default 30 days', () => {
    let service: SessionTestApp;
    let sut: GrpcClient<typeof SessionService>;

    beforeAll(async () => {
      service = await startSessionApp({ SESSION_SWEEP_INTERVAL_MS: String(DAY_MS) }, DATABASE);
      sut = service.client;
    });

    afterAll(async () => {
      await service?.stop();
    });

    async function idleFor(sessionId: string, ms: number): Promise<void> {
      await service.db.query(`UPDATE session.sessions SET last_activity_at = now() - make_interval(secs => $2::float8 / 1000) WHERE id = $1`, [sessionId, ms]);
    }

    it('keeps a session idle for just under 30 days, and hides one idle for 30 days at once', async () => {
      const identity = newIdentity();
      const kept = (await sut.beginTurn({ sessionId: `kept-${randomUUID()}`, taskId: newTaskId(), query: 'q' }, as(identity))).session?.id ?? '';
      const expired = (await sut.beginTurn({ sessionId: `old-${randomUUID()}`, taskId: newTaskId(), query: 'q' }, as(identity))).session?.id ?? '';
      await idleFor(kept, 30 * DAY_MS - 60_000);
      await idleFor(expired, 30 * DAY_MS + 1_000);

      expect((await sut.getSession({ sessionId: kept }, as(identity))).session?.id).toBe(kept);
      for (const call of [sut.getSession({ sessionId: expired }, as(identity)), sut.listTurns({ sessionId: expired }, as(identity))]) {
        expect((await failureOf(call)).code).toBe(Code.NotFound);
      }
      const listed = await sut.listSessions({ limit: 100 }, as(identity));
      expect(listed.sessions.map((s) => s.id)).toEqual([kept]);
      expect(listed.totalCount).toBe(1);
    });

    it('starts a new, empty session when an expired client id is used again', async () => {
      const identity = newIdentity();
      const chat = `again-${randomUUID()}`;
      const old = (await sut.beginTurn({ sessionId: chat, taskId: newTaskId(), query: 'What is Python?' }, as(identity))).session?.id ?? '';
      await idleFor(old, 31 * DAY_MS);

      const fresh = await sut.beginTurn({ sessionId: chat, taskId: newTaskId(), query: 'What are its main advantages?' }, as(identity));

      expect(fresh.created).toBe(true);
      expect(fresh.session?.id).not.toBe(old);
      expect(fresh.turn?.seq).toBe(1);
      const { rows } = await service.db.query('SELECT count(*)::int AS n FROM session.turns WHERE session_id = $1', [old]);
      expect(rows[0].n).toBe(0);
    });

    it('sweeps a session (and its turns) 30 days after its last activity, not before', async () => {
      const identity = newIdentity();
      const begun = await sut.beginTurn({ sessionId: `swept-${randomUUID()}`, taskId: newTaskId(), query: 'q' }, as(identity));
      const id = begun.session?.id ?? '';
      const lastActivity = (await service.db.query('SELECT last_activity_at FROM session.sessions WHERE id = $1', [id])).rows[0].last_activity_at as Date;
      const sweeper = service.app.get(SessionSweeper);
      const rows = async () => (await service.db.query('SELECT (SELECT count(*) FROM session.sessions WHERE id = $1)::int AS sessions, (SELECT count(*) FROM session.turns WHERE session_id = $1)::int AS turns', [id])).rows[0];

      await sweeper.sweep(new Date(lastActivity.getTime() + 30 * DAY_MS - 1));
      expect(await rows()).toEqual({ sessions: 1, turns: 1 });

      await sweeper.sweep(new Date(lastActivity.getTime() + 30 * DAY_MS));
      expect(await rows()).toEqual({ sessions: 0, turns: 0 });
    });
  });

  describe('with a 1 second lifetime and a fast sweeper', () => {
    let service: SessionTestApp;
    let locker: Client;

    beforeAll(async () => {
      service = await startSessionApp({ SESSION_TTL_SECONDS: '1', SESSION_SWEEP_INTERVAL_MS: '100', SESSION_SWEEP_BATCH_SIZE: '2' }, DATABASE);
      locker = await connectTestDatabase(service.databaseUrl);
    });

    afterAll(async () => {
      await locker?.end();
      await service?.stop();
    });

    it('removes expired sessions in batches of 2, skipping a row another transaction holds until it is free', async () => {
      const identity = newIdentity();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const begun = await service.client.beginTurn({ sessionId: `short-${i}-${randomUUID()}`, taskId: newTaskId(), query: 'q' }, as(identity));
        ids.push(begun.session?.id ?? '');
      }
      const held = ids[2];
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM session.sessions WHERE id = $1 FOR UPDATE', [held]);

      const remaining = async () =>
        (await service.db.query<{ id: string }>('SELECT id FROM session.sessions WHERE id = ANY($1::uuid[]) ORDER BY id', [ids])).rows.map((row) => row.id);
      await waitFor(async () => (await remaining()).length === 1, { timeoutMs: 15_000, description: 'the unheld expired sessions to be swept' });
      expect(await remaining()).toEqual([held]);

      await locker.query('COMMIT');
      await waitFor(async () => (await remaining()).length === 0, { timeoutMs: 15_000, description: 'the released session to be swept' });
      const turns = await service.db.query('SELECT count(*)::int AS n FROM session.turns WHERE session_id = ANY($1::uuid[])', [ids]);
      expect(turns.rows[0].n).toBe(0);
    });
  });
});
