import { Code, ConnectError } from '@connectrpc/connect';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { INestApplicationContext, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type CallerIdentity, identityHeaders } from '@shannon/auth';
import { loadConfig } from '@shannon/config';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { BusNames, TaskService, TaskStatus } from '@shannon/contracts';
import { Migrator } from '@shannon/db';
import { ErrorCode } from '@shannon/errors';
import { createGrpcClient, describeRemoteError, type GrpcClient, startGrpcService } from '@shannon/grpc';
import { connectTestDatabase, ensureTestDatabase, freePort, newBusNamespace, newIdentity, waitFor } from '@shannon/testing';
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Client } from 'pg';
import { AppModule } from '../src/app.module';
import { TASK_SCHEMA, taskConfigSchema } from '../src/config';
import { IdempotencyKeyPurger } from '../src/tasks/idempotency-key.purger';
import { TaskRunner } from '../src/worker/task-runner';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
type SubmitFields = { idempotencyKey?: string; requestHash?: string; sessionId?: string };
const hashOf = (body: string) => createHash('sha256').update(body).digest('hex');

/** Durable idempotency of SubmitTask and the trace context from gRPC metadata to the worker's events. */
describe('task service: idempotent submit and trace context', () => {
  const namespace = newBusNamespace('taskidem');
  const names = new BusNames(namespace);
  const processes: { close(): Promise<void> }[] = [];
  let api: INestMicroservice;
  let worker: INestApplicationContext;
  let sut: GrpcClient<typeof TaskService>;
  let db: Client;
  let nats: NatsConnection;

  const submit = (identity: CallerIdentity, fields: SubmitFields, headers: Record<string, string> = {}) =>
    sut.submitTask({ query: 'What is 2 + 2?', sessionId: randomUUID(), ...fields }, { headers: { ...identityHeaders(identity), ...headers } });
  const taskCount = async (tenantId: string) => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM task.tasks WHERE tenant_id = $1', [tenantId])).rows[0].n);

  beforeAll(async () => {
    // A database of its own: an outbox row this file leaves unpublished must never reach (and
    // block) another file's relay, which would try to publish it to this file's deleted stream.
    const url = await ensureTestDatabase('shannon_task_idempotency_test');
    await new Migrator(url, TASK_SCHEMA, join(__dirname, '../prisma/migrations')).migrate();
    const port = await freePort();
    const env = { DATABASE_URL: url, NATS_NAMESPACE: namespace, GRPC_HOST: '127.0.0.1', GRPC_PORT: String(port), LOG_LEVEL: 'warn', ENVIRONMENT: 'test', MOCK_TOKEN_DELAY_MS: '0', MOCK_START_DELAY_MS: '0', SESSION_HISTORY_MAX_TURNS: '0' };
    api = await startGrpcService({ module: AppModule.forRoot(loadConfig(taskConfigSchema, { ...env, TASK_ROLE: 'api' })), services: [TaskService], host: '127.0.0.1', port });
    worker = await NestFactory.createApplicationContext(AppModule.forRoot(loadConfig(taskConfigSchema, { ...env, TASK_ROLE: 'worker' })), { logger: false });
    await worker.init();
    processes.push(api, worker);
    sut = createGrpcClient(TaskService, `http://127.0.0.1:${port}`);
    db = await connectTestDatabase(url);
    nats = await connect({ servers: 'nats://127.0.0.1:4222', name: 'task-idempotency-int-spec' });
  });

  afterAll(async () => {
    // Tasks the tests started finish first: a shutdown in the middle of one waits for its events'
    // acknowledgements, which a JetStream busy with every suite's streams can hold up for seconds.
    if (worker) {
      await waitFor(() => worker.get(TaskRunner).activeTasks.length === 0, { timeoutMs: 60_000, description: 'the worker to finish its tasks' });
    }
    for (const process of processes) {
      await process.close();
    }
    if (nats) {
      const jsm = await jetstreamManager(nats);
      for (const stream of [names.tasksStream, names.eventsStream]) {
        await jsm.streams.delete(stream).catch(() => undefined);
      }
      await nats.close();
    }
    await db?.end();
  }, 90_000);

  it('creates exactly one task for 20 concurrent identical submits, and all get its id', async () => {
    const identity = newIdentity();
    const fields = { idempotencyKey: randomUUID(), requestHash: hashOf('{"query":"What is 2 + 2?"}'), sessionId: randomUUID() };

    const answers = await Promise.all(Array.from({ length: 20 }, () => submit(identity, fields)));

    const ids = new Set(answers.map((answer) => answer.task?.taskId));
    expect(ids.size).toBe(1);
    expect(answers.filter((answer) => !answer.idempotentReplay)).toHaveLength(1);
    expect(await taskCount(identity.tenantId)).toBe(1);
    const outbox = await db.query('SELECT 1 FROM task.outbox o JOIN task.tasks t ON t.id = o.task_id WHERE t.tenant_id = $1', [identity.tenantId]);
    expect(outbox.rowCount).toBe(1);

    const replay = await submit(identity, fields);
    expect(replay).toMatchObject({ idempotentReplay: true, task: { taskId: [...ids][0] } });
  });

  it('refuses the same key with another request (IDEMPOTENCY_CONFLICT) and stores nothing', async () => {
    const identity = newIdentity();
    const key = randomUUID();
    await submit(identity, { idempotencyKey: key, requestHash: hashOf('first') });

    const error = await submit(identity, { idempotencyKey: key, requestHash: hashOf('second') }).then(
      () => undefined,
      (reason: unknown) => reason,
    );

    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.FailedPrecondition);
    expect(describeRemoteError(error)).toMatchObject({ code: ErrorCode.IdempotencyConflict, message: 'Idempotency-Key reused with a different request' });
    expect(await taskCount(identity.tenantId)).toBe(1);
  });

  it('scopes keys to the caller: another user or tenant with the same key gets its own task', async () => {
    const owner = newIdentity();
    const fields = { idempotencyKey: 'shared-key', requestHash: hashOf('same') };
    const first = await submit(owner, fields);
    const sameTenant = await submit({ tenantId: owner.tenantId, userId: randomUUID() }, fields);
    const otherTenant = await submit(newIdentity(), fields);

    expect(new Set([first.task?.taskId, sameTenant.task?.taskId, otherTenant.task?.taskId]).size).toBe(3);
    expect([sameTenant.idempotentReplay, otherTenant.idempotentReplay]).toEqual([false, false]);
  });

  it('forgets a key after its 24 hours: the next use creates a new task; the purger removes expired keys', async () => {
    const identity = newIdentity();
    const fields = { idempotencyKey: randomUUID(), requestHash: hashOf('again') };
    const first = await submit(identity, fields);
    const expire = () => db.query(`UPDATE task.idempotency_keys SET expires_at = now() - interval '1 second' WHERE tenant_id = $1`, [identity.tenantId]);
    await expire();

    const second = await submit(identity, fields);
    expect(second.idempotentReplay).toBe(false);
    expect(second.task?.taskId).not.toBe(first.task?.taskId);

    await expire();
    await expect(api.get(IdempotencyKeyPurger).purge()).resolves.toBeGreaterThanOrEqual(1);
    const left = await db.query('SELECT 1 FROM task.idempotency_keys WHERE tenant_id = $1', [identity.tenantId]);
    expect(left.rowCount).toBe(0);
  });

  it('records the trace on the task and continues it through the work queue into the worker’s events', async () => {
    const identity = newIdentity();
    const subscription = nats.subscribe(names.taskEventsSubject(identity.tenantId, '*'));
    const traceparents: string[] = [];
    const collected = (async () => {
      for await (const message of subscription) {
        traceparents.push(message.headers?.get('traceparent') ?? '');
        if (traceparents.length === 3) {
          return;
        }
      }
    })();

    const { task } = await submit(identity, {}, { traceparent: TRACEPARENT, tracestate: 'vendor=value' });

    expect(task).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', traceparent: TRACEPARENT, tracestate: 'vendor=value' });
    const outbox = await db.query<{ headers: object }>('SELECT headers FROM task.outbox WHERE task_id = $1', [task?.taskId]);
    expect(outbox.rows[0].headers).toEqual({ traceparent: TRACEPARENT, tracestate: 'vendor=value' });
    await waitFor(() => traceparents.length >= 3, { timeoutMs: 15_000, description: 'the worker to publish events' });
    subscription.unsubscribe();
    await collected;
    for (const traceparent of traceparents) {
      expect(traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
      expect(traceparent).not.toBe(TRACEPARENT);
    }
  });

  it('answers a submit with the task as stored, its work message beside it', async () => {
    const identity = newIdentity();
    const sessionId = randomUUID();
    const { task } = await sut.submitTask(
      { query: 'What is 2 + 2?', sessionId, mode: 'simple', modelTier: 'large', context: { topic: 'sums', nested: { n: 1 } } },
      { headers: identityHeaders(identity) },
    );

    const stored = await db.query('SELECT * FROM task.tasks WHERE id = $1', [task?.taskId]);
    const row = stored.rows[0];
    expect(row).toMatchObject({ tenant_id: identity.tenantId, user_id: identity.userId, session_id: sessionId, query: 'What is 2 + 2?', mode: 'simple', model_tier: 'large' });
    expect(row.context).toMatchObject({ topic: 'sums', nested: { n: 1 } });
    expect(task?.createdAt && timestampDate(task.createdAt)).toEqual(row.created_at);
    expect(task).toMatchObject({ status: TaskStatus.QUEUED, mode: 'simple', sessionId });
    const outbox = await db.query('SELECT subject, msg_id, created_at FROM task.outbox WHERE task_id = $1', [task?.taskId]);
    expect(outbox.rows).toEqual([{ subject: names.taskWorkSubject, msg_id: task?.taskId, created_at: row.created_at }]);
  });

  it('ignores a malformed traceparent', async () => {
    const { task } = await submit(newIdentity(), {}, { traceparent: 'garbage' });
    expect(task).toMatchObject({ traceId: '', traceparent: '' });
  });
});
