import { create, toBinary } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Code } from '@connectrpc/connect';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { type SessionService, TaskEventSchema, TurnConcurrency } from '@shannon/contracts';
import { ErrorCode } from '@shannon/errors';
import { describeRemoteError, type GrpcClient } from '@shannon/grpc';
import { failureOf, newIdentity, waitFor } from '@shannon/testing';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { ulid } from 'ulid';
import { as, type SessionTestApp, startSessionApp } from './session-test-app';

const newTaskId = () => `task_${ulid()}`;

/** Turns: reserved before their task exists, in order, under the session's concurrency policy. */
describe('session turns over gRPC', () => {
  let service: SessionTestApp;
  let sut: GrpcClient<typeof SessionService>;
  let db: Client;
  let nats: NatsConnection;

  /** Records an outcome the way the bus consumer does once the task service reports it. */
  async function complete(taskId: string, result: string, status = 'COMPLETED', tokens = [10, 5]): Promise<void> {
    await db.query(
      `UPDATE session.turns SET status = $2, result = $3, input_tokens = $4, output_tokens = $5, cost_usd = 0.001, started_at = now(), completed_at = now() WHERE task_id = $1`,
      [taskId, status, result, tokens[0], tokens[1]],
    );
  }

  beforeAll(async () => {
    service = await startSessionApp();
    sut = service.client;
    db = service.db;
    nats = await connect({ servers: service.natsUrl });
  });

  afterAll(async () => {
    await nats?.close();
    await service?.stop();
  });

  it('gives 20 turns begun at once on a new client id one session and the seq numbers 1..20', async () => {
    const identity = newIdentity();
    const chat = `chat-${randomUUID()}`;
    const taskIds = Array.from({ length: 20 }, newTaskId);

    const answers = await Promise.all(taskIds.map((taskId) => sut.beginTurn({ sessionId: chat, taskId, query: 'What is Python?' }, as(identity))));

    expect(new Set(answers.map((a) => a.session?.id)).size).toBe(1);
    expect(answers.filter((a) => a.created)).toHaveLength(1);
    expect(answers.map((a) => a.turn?.seq).sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const { turns, totalCount } = await sut.listTurns({ sessionId: chat }, as(identity));
    expect(totalCount).toBe(20);
    expect(turns.every((t) => t.status === 'QUEUED')).toBe(true);
    expect((await sut.getSession({ sessionId: chat }, as(identity))).session?.title).toBe('What is Python?');
  });

  it('starts a session of its own with its first turn when no session is named', async () => {
    const identity = newIdentity();
    const taskId = newTaskId();

    const begun = await sut.beginTurn({ taskId, query: 'Explain the water cycle in detail please', mode: 'simple' }, as(identity));

    expect(begun.created).toBe(true);
    expect(begun.interruptedTaskIds).toEqual([]);
    expect(begun.turn).toMatchObject({ taskId, seq: 1, status: 'QUEUED', query: 'Explain the water cycle in detail please' });
    const sessionId = begun.session?.id ?? '';
    // What the answer said is what was stored.
    const stored = await sut.getSession({ sessionId }, as(identity));
    expect(stored.session).toMatchObject({ id: sessionId, title: begun.session?.title, userId: identity.userId });
    expect(stored.session?.createdAt).toEqual(begun.session?.createdAt);
    const { turns } = await sut.listTurns({ sessionId }, as(identity));
    expect(turns).toEqual([begun.turn]);
    // The session goes on like any other: the next turn is seq 2.
    const next = await sut.beginTurn({ sessionId, taskId: newTaskId(), query: 'And then?' }, as(identity));
    expect([next.created, next.turn?.seq]).toEqual([false, 2]);
    // A task id can have one turn only, whichever way it is begun; the failed attempt leaves no session behind.
    const sessionsBefore = await db.query('SELECT count(*)::int AS n FROM session.sessions WHERE tenant_id = $1', [identity.tenantId]);
    const duplicate = await failureOf(sut.beginTurn({ taskId, query: 'again' }, as(identity)));
    expect(duplicate.code).toBe(Code.AlreadyExists);
    const sessionsAfter = await db.query('SELECT count(*)::int AS n FROM session.sessions WHERE tenant_id = $1', [identity.tenantId]);
    expect(sessionsAfter.rows[0].n).toBe(sessionsBefore.rows[0].n);
  });

  it('starts a named session that does not exist yet with its first turn, by client id or UUID', async () => {
    const identity = newIdentity();
    for (const sessionId of [`chat-${randomUUID()}`, randomUUID().toUpperCase()]) {
      const first = await sut.beginTurn({ sessionId, taskId: newTaskId(), query: 'What is Python?' }, as(identity));
      expect([first.created, first.turn?.seq]).toEqual([true, 1]);
      const stored = await sut.getSession({ sessionId }, as(identity));
      expect(stored.session).toMatchObject({ id: first.session?.id, title: 'What is Python?' });
      const second = await sut.beginTurn({ sessionId, taskId: newTaskId(), query: 'And Go?' }, as(identity));
      expect([second.created, second.session?.id, second.turn?.seq]).toEqual([false, first.session?.id, 2]);
    }
    // Another tenant's UUID is not taken over: its owner keeps it, the caller gets not found.
    const theirs = await sut.beginTurn({ sessionId: randomUUID(), taskId: newTaskId(), query: 'q' }, as(newIdentity()));
    const error = await failureOf(sut.beginTurn({ sessionId: theirs.session?.id ?? '', taskId: newTaskId(), query: 'q' }, as(identity)));
    expect([error.code, error.rawMessage]).toEqual([Code.NotFound, 'Session not found']);
  });

  it('reject: refuses a turn while one is open (ALREADY_EXISTS), and takes it once the open one is gone', async () => {
    const identity = newIdentity();
    const chat = `reject-${randomUUID()}`;
    const first = newTaskId();
    await sut.beginTurn({ sessionId: chat, taskId: first, query: 'Write a long essay', concurrency: TurnConcurrency.REJECT }, as(identity));

    const refused = await failureOf(sut.beginTurn({ sessionId: chat, taskId: newTaskId(), query: 'And now?', concurrency: TurnConcurrency.REJECT }, as(identity)));

    expect(refused.code).toBe(Code.AlreadyExists);
    expect(describeRemoteError(refused)).toMatchObject({ code: ErrorCode.Conflict, message: expect.stringContaining(`Session already has a task in progress (${first})`) });
    expect((await sut.listTurns({ sessionId: chat }, as(identity))).totalCount).toBe(1);

    await complete(first, 'An essay.');
    const accepted = await sut.beginTurn({ sessionId: chat, taskId: newTaskId(), query: 'And now?', concurrency: TurnConcurrency.REJECT }, as(identity));
    expect(accepted.turn?.seq).toBe(2);
  });

  it('reject: of ten turns begun at the same moment exactly one is taken', async () => {
    const identity = newIdentity();
    const chat = `race-${randomUUID()}`;

    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () => sut.beginTurn({ sessionId: chat, taskId: newTaskId(), query: 'q', concurrency: TurnConcurrency.REJECT }, as(identity))),
    );

    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.code)).toEqual(Array(9).fill(Code.AlreadyExists));
  });

  it('interrupt: closes every open turn, names their tasks, and abandoning the new turn gives them back', async () => {
    const identity = newIdentity();
    const chat = `interrupt-${randomUUID()}`;
    const [a, b, c] = [newTaskId(), newTaskId(), newTaskId()];
    await sut.beginTurn({ sessionId: chat, taskId: a, query: 'essay one' }, as(identity));
    await sut.beginTurn({ sessionId: chat, taskId: b, query: 'essay two' }, as(identity));

    const begun = await sut.beginTurn({ sessionId: chat, taskId: c, query: 'urgent', concurrency: TurnConcurrency.INTERRUPT }, as(identity));

    expect(begun.interruptedTaskIds).toEqual([a, b]);
    const conversation = await sut.getConversation({ sessionId: begun.session?.id, taskId: c, maxTurns: 10 }, as(identity));
    expect(conversation.pendingTurns).toBe(0);
    const { turns } = await sut.listTurns({ sessionId: chat }, as(identity));
    expect(turns.map((t) => [t.taskId, t.interruptedBy])).toEqual([
      [a, c],
      [b, c],
      [c, ''],
    ]);

    await sut.abandonTurn({ taskId: c }, as(identity));
    const after = await sut.listTurns({ sessionId: chat }, as(identity));
    expect(after.turns.map((t) => [t.taskId, t.interruptedBy])).toEqual([
      [a, ''],
      [b, ''],
    ]);
  });

  it('removes the session a refused first submit started, with its turn; a session with other turns stays', async () => {
    const identity = newIdentity();
    const lonely = `refused-${randomUUID()}`;
    const first = newTaskId();
    await sut.beginTurn({ sessionId: lonely, taskId: first, query: 'What is Python?' }, as(identity));

    await sut.abandonTurn({ taskId: first }, as(identity));

    expect((await failureOf(sut.getSession({ sessionId: lonely }, as(identity)))).code).toBe(Code.NotFound);
    // The client id is free: the next submit starts the session again.
    const again = await sut.beginTurn({ sessionId: lonely, taskId: newTaskId(), query: 'What is Python?' }, as(identity));
    expect(again.turn?.seq).toBe(1);

    const kept = `kept-${randomUUID()}`;
    const [one, two] = [newTaskId(), newTaskId()];
    await sut.beginTurn({ sessionId: kept, taskId: one, query: 'What is Python?' }, as(identity));
    await sut.beginTurn({ sessionId: kept, taskId: two, query: 'What are its advantages?' }, as(identity));
    await sut.abandonTurn({ taskId: two }, as(identity));
    expect((await sut.listTurns({ sessionId: kept }, as(identity))).turns.map((t) => t.taskId)).toEqual([one]);
  });

  it('shows a task the completed turns before its own (newest max_turns) and counts the earlier ones still open', async () => {
    const identity = newIdentity();
    const chat = `conversation-${randomUUID()}`;
    const ids = [newTaskId(), newTaskId(), newTaskId(), newTaskId(), newTaskId(), newTaskId()];
    const queries = ['What is Python?', 'What is Rust?', 'Fail please', 'What is Go?', 'Still running', 'What are its main advantages?'];
    let sessionId = '';
    for (const [i, taskId] of ids.entries()) {
      sessionId = (await sut.beginTurn({ sessionId: chat, taskId, query: queries[i] }, as(identity))).session?.id ?? '';
    }
    await complete(ids[0], 'Python is a language.');
    await complete(ids[1], 'Rust is a language.');
    await complete(ids[2], '', 'FAILED');
    await complete(ids[3], 'Go is a language.');

    const all = await sut.getConversation({ sessionId, taskId: ids[5], maxTurns: 10 }, as(identity));
    expect(all.turns.map((t) => [t.taskId, t.query, t.answer])).toEqual([
      [ids[0], 'What is Python?', 'Python is a language.'],
      [ids[1], 'What is Rust?', 'Rust is a language.'],
      [ids[3], 'What is Go?', 'Go is a language.'],
    ]);
    expect(all.pendingTurns).toBe(1);

    const window = await sut.getConversation({ sessionId, taskId: ids[5], maxTurns: 2 }, as(identity));
    expect(window.turns.map((t) => t.taskId)).toEqual([ids[1], ids[3]]);
    const earlier = await sut.getConversation({ sessionId, taskId: ids[1], maxTurns: 10 }, as(identity));
    expect(earlier).toMatchObject({ turns: [{ taskId: ids[0] }], pendingTurns: 0 });
    const noTurn = await sut.getConversation({ sessionId, taskId: newTaskId(), maxTurns: 10 }, as(identity));
    expect(noTurn.turns).toHaveLength(3);
    expect(noTurn.pendingTurns).toBe(0);

    const session = await sut.getSession({ sessionId: chat }, as(identity));
    expect(session.session?.stats).toMatchObject({ taskCount: 6, tokensUsed: 60, successfulTasks: 3, failedTasks: 1, latestTaskQuery: queries[5], latestTaskStatus: 'QUEUED' });
    expect(session.session?.stats?.totalCostUsd).toBeCloseTo(0.004);
  });

  it('marks a turn RUNNING when its WORKFLOW_STARTED event arrives on the bus, and is sent no token delta', async () => {
    const identity = newIdentity();
    const chat = `started-${randomUUID()}`;
    const taskId = newTaskId();
    await sut.beginTurn({ sessionId: chat, taskId, query: 'What is Python?' }, as(identity));
    const startedAt = new Date('2026-11-24T10:00:00.123Z');
    const event = create(TaskEventSchema, { workflowId: taskId, tenantId: identity.tenantId, userId: identity.userId, type: 'WORKFLOW_STARTED', timestamp: timestampFromDate(startedAt), seq: 1n });
    const partial = create(TaskEventSchema, { workflowId: taskId, tenantId: identity.tenantId, userId: identity.userId, type: 'LLM_PARTIAL', message: 'Py', seq: 2n });

    const js = jetstream(nats);
    const jsm = await jetstreamManager(nats);
    const delivered = async () => (await jsm.consumers.info(service.names.eventsStream, service.names.sessionTurnsConsumer)).delivered.consumer_seq;
    const deliveredBefore = await delivered();
    // The delta goes first: were the consumer sent it, it would be delivered before the start.
    await js.publish(service.names.taskEventSubject(identity.tenantId, taskId, partial.type), toBinary(TaskEventSchema, partial), { msgID: `${taskId}:2` });
    await js.publish(service.names.taskEventSubject(identity.tenantId, taskId, event.type), toBinary(TaskEventSchema, event), { msgID: `${taskId}:1` });

    const turn = await waitFor(
      async () => {
        const { turns } = await sut.listTurns({ sessionId: chat }, as(identity));
        return turns[0]?.status === 'RUNNING' ? turns[0] : undefined;
      },
      { description: 'the turn to be RUNNING' },
    );
    expect(turn.startedAt?.seconds).toBe(BigInt(Math.floor(startedAt.getTime() / 1000)));
    expect((await delivered()) - deliveredBefore).toBe(1);
  });

  it('checks its input and keeps tenants apart', async () => {
    const owner = newIdentity();
    const other = newIdentity();
    const chat = `isolated-${randomUUID()}`;
    const taskId = newTaskId();
    const { session } = await sut.beginTurn({ sessionId: chat, taskId, query: 'What is Python?' }, as(owner));
    const sessionId = session?.id ?? '';

    for (const [request, message] of [
      [{ sessionId: chat, taskId: 'task_1', query: 'q' }, 'Invalid task_id (expected task_<ULID>)'],
      [{ sessionId: chat, taskId: newTaskId(), query: '   ' }, 'Query is required'],
      [{ sessionId: 'no spaces', taskId: newTaskId(), query: 'q' }, 'Invalid session_id format'],
    ] as const) {
      const error = await failureOf(sut.beginTurn(request, as(owner)));
      expect([error.code, error.rawMessage]).toEqual([Code.InvalidArgument, message]);
    }
    const duplicate = await failureOf(sut.beginTurn({ sessionId: chat, taskId, query: 'again' }, as(owner)));
    expect(duplicate.code).toBe(Code.AlreadyExists);

    for (const call of [
      sut.beginTurn({ sessionId, taskId: newTaskId(), query: 'join?' }, as(other)),
      sut.listTurns({ sessionId }, as(other)),
      sut.getConversation({ sessionId, taskId, maxTurns: 5 }, as(other)),
      sut.getSession({ sessionId }, as(other)),
      sut.updateSessionTitle({ sessionId, title: 'mine now' }, as(other)),
      sut.deleteSession({ sessionId }, as(other)),
    ]) {
      const error = await failureOf(call);
      expect([error.code, error.rawMessage]).toEqual([Code.NotFound, 'Session not found']);
    }
    await sut.abandonTurn({ taskId }, as(other));
    expect((await sut.listTurns({ sessionId }, as(owner))).turns.map((t) => t.taskId)).toEqual([taskId]);
    // The same client id names the other tenant's own session.
    const theirs = await sut.beginTurn({ sessionId: chat, taskId: newTaskId(), query: 'q' }, as(other));
    expect(theirs.session?.id).not.toBe(sessionId);
  });

  it('refuses new turns in a deleted session and frees its client id for a new one', async () => {
    const identity = newIdentity();
    const chat = `deleted-${randomUUID()}`;
    const { session } = await sut.beginTurn({ sessionId: chat, taskId: newTaskId(), query: 'q' }, as(identity));
    await sut.deleteSession({ sessionId: chat }, as(identity));
    await sut.deleteSession({ sessionId: chat }, as(identity));

    const byUuid = await failureOf(sut.beginTurn({ sessionId: session?.id, taskId: newTaskId(), query: 'q' }, as(identity)));
    expect(byUuid.code).toBe(Code.NotFound);
    const fresh = await sut.beginTurn({ sessionId: chat, taskId: newTaskId(), query: 'q' }, as(identity));
    expect(fresh.created).toBe(true);
    expect(fresh.session?.id).not.toBe(session?.id);
    expect(fresh.turn?.seq).toBe(1);
    const { rows } = await db.query('SELECT external_id, deleted_external_id FROM session.sessions WHERE id = $1', [session?.id]);
    expect(rows[0]).toEqual({ external_id: null, deleted_external_id: chat });
  });
});
