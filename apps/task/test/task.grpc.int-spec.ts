import { create, fromBinary, type JsonObject, toBinary } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Code } from '@connectrpc/connect';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { INestApplicationContext, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type CallerIdentity, identityHeaders } from '@shannon/auth';
import { loadConfig } from '@shannon/config';
import { BusNames, type Task, TaskService, TaskStatus, TaskWorkItemSchema } from '@shannon/contracts';
import { Migrator } from '@shannon/db';
import { ErrorCode } from '@shannon/errors';
import { createGrpcClient, describeRemoteError, type GrpcClient, startGrpcService } from '@shannon/grpc';
import { connectTestDatabase, ensureTestDatabase, failureOf, freePort, newBusNamespace, newIdentity, removeBusNamespace, waitFor } from '@shannon/testing';
import { Logger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Client } from 'pg';
import { AppModule } from '../src/app.module';
import { TASK_SCHEMA, taskConfigSchema } from '../src/config';

const TASK_ID = /^task_[0-9A-HJKMNP-TV-Z]{26}$/;
const FRANCE = 'What is the capital of France?';

/**
 * The task service as deployed: one api process (gRPC + outbox relay) and one worker process,
 * in-process here, sharing the integration database and a NATS namespace of their own.
 */
describe('task service over gRPC with a worker', () => {
  const namespace = newBusNamespace('task');
  const names = new BusNames(namespace);
  let api: INestMicroservice;
  let worker: INestApplicationContext;
  let sut: GrpcClient<typeof TaskService>;
  let db: Client;
  let nats: NatsConnection;
  let jsm: JetStreamManager;

  const as = (identity: CallerIdentity) => ({ headers: identityHeaders(identity) });

  async function submit(identity: CallerIdentity, query = FRANCE, context?: JsonObject, sessionId: string = randomUUID()): Promise<Task> {
    const { task } = await sut.submitTask({ query, sessionId, context }, as(identity));
    if (!task) {
      throw new Error('SubmitTask answered without a task');
    }
    return task;
  }

  /** Polls GetTask until the task is in `status`. */
  function waitForStatus(identity: CallerIdentity, taskId: string, status: TaskStatus, timeoutMs = 15_000): Promise<Task> {
    return waitFor(
      async () => {
        const { task } = await sut.getTask({ taskId }, as(identity));
        if (task?.status === TaskStatus.FAILED) {
          throw new Error(`task failed: ${task.error}`);
        }
        return task?.status === status ? task : undefined;
      },
      { timeoutMs, description: `task ${taskId} to be ${TaskStatus[status]}` },
    );
  }

  /** When the task's outbox row is marked published (waits for it). */
  function outboxPublishedAt(taskId: string): Promise<Date> {
    return waitFor(
      async () => {
        const { rows } = await db.query<{ published_at: Date | null }>('SELECT published_at FROM task.outbox WHERE task_id = $1', [taskId]);
        return rows[0]?.published_at ?? undefined;
      },
      { description: `the outbox row of ${taskId} to be published` },
    );
  }

  /** Resolves once the worker consumer has acked every message up to `streamSeq`. */
  function waitForWorkQueueDrained(streamSeq: number): Promise<true> {
    return waitFor(
      async () => {
        const info = await jsm.consumers.info(names.tasksStream, names.taskWorkersConsumer);
        return info.num_pending === 0 && info.num_ack_pending === 0 && info.ack_floor.stream_seq >= streamSeq;
      },
      { description: 'the task workers to ack every work item' },
    );
  }

  async function taskRow(taskId: string) {
    const { rows } = await db.query<{ status: string; result: string | null; completed_at: Date | null; updated_at: Date }>(
      'SELECT status, result, completed_at, updated_at FROM task.tasks WHERE id = $1',
      [taskId],
    );
    return rows[0];
  }

  beforeAll(async () => {
    const url = await ensureTestDatabase('shannon_int_test');
    await new Migrator(url, TASK_SCHEMA, join(__dirname, '../prisma/migrations')).migrate();
    const port = await freePort();
    const env = {
      DATABASE_URL: url,
      NATS_NAMESPACE: namespace,
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(port),
      LOG_LEVEL: 'warn',
      ENVIRONMENT: 'test',
      OUTBOX_POLL_MS: '200',
      MOCK_TOKEN_DELAY_MS: '0',
      MOCK_START_DELAY_MS: '0',
      // No session service here: tasks run without history (test/conversation.int-spec.ts has one).
      SESSION_HISTORY_MAX_TURNS: '0',
    };
    const apiConfig = loadConfig(taskConfigSchema, { ...env, TASK_ROLE: 'api' });
    const workerConfig = loadConfig(taskConfigSchema, { ...env, TASK_ROLE: 'worker' });
    api = await startGrpcService({ module: AppModule.forRoot(apiConfig), services: [TaskService], host: '127.0.0.1', port });
    worker = await NestFactory.createApplicationContext(AppModule.forRoot(workerConfig), { bufferLogs: true });
    worker.useLogger(worker.get(Logger));
    await worker.init();
    sut = createGrpcClient(TaskService, `http://127.0.0.1:${port}`);
    db = await connectTestDatabase(url);
    nats = await connect({ servers: apiConfig.NATS_URL, name: 'task-int-spec' });
    jsm = await jetstreamManager(nats);
  });

  afterAll(async () => {
    await api?.close();
    await worker?.close();
    await removeBusNamespace(namespace);
    await nats?.close();
    await db?.end();
  });

  it('stores a submitted task as QUEUED together with its work message', async () => {
    const identity = newIdentity();
    const sessionId = randomUUID();

    const task = await submit(identity, FRANCE, undefined, sessionId);

    expect(task.taskId).toMatch(TASK_ID);
    expect(task).toMatchObject({ status: TaskStatus.QUEUED, tenantId: identity.tenantId, userId: identity.userId, sessionId, query: FRANCE, mode: 'standard' });
    const { rows } = await db.query<{ tenant_id: string; subject: string; msg_id: string; payload: Buffer }>(
      'SELECT t.tenant_id, o.subject, o.msg_id, o.payload FROM task.tasks t JOIN task.outbox o ON o.task_id = t.id WHERE t.id = $1',
      [task.taskId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ tenant_id: identity.tenantId, subject: names.taskWorkSubject, msg_id: task.taskId });
    expect(fromBinary(TaskWorkItemSchema, rows[0].payload)).toMatchObject({ taskId: task.taskId, tenantId: identity.tenantId });
  });

  it('runs the task to COMPLETED with the answer and its usage, and marks the outbox row published', async () => {
    const identity = newIdentity();
    const { taskId } = await submit(identity);

    const done = await waitForStatus(identity, taskId, TaskStatus.COMPLETED);

    expect(done.result).toBe('The capital of France is Paris.');
    expect(done.provider).toBe('mock');
    expect(done.usage?.outputTokens).toBeGreaterThan(0);
    expect(done.usage?.totalTokens).toBe((done.usage?.inputTokens ?? 0) + (done.usage?.outputTokens ?? 0));
    expect(done.startedAt).toBeDefined();
    expect(done.completedAt).toBeDefined();
    expect(await outboxPublishedAt(taskId)).toBeInstanceOf(Date);
  });

  it('publishes again a work message whose row a crash left unmarked, and the bus drops the repeat', async () => {
    const identity = newIdentity();
    const { taskId } = await submit(identity);
    await waitForStatus(identity, taskId, TaskStatus.COMPLETED);
    const storedBefore = (await jsm.streams.info(names.tasksStream)).state.last_seq;
    // As if the api process had died between its publish and marking the row.
    await db.query("UPDATE task.outbox SET published_at = NULL, created_at = now() - interval '1 minute' WHERE task_id = $1", [taskId]);

    expect(await outboxPublishedAt(taskId)).toBeInstanceOf(Date);
    expect((await jsm.streams.info(names.tasksStream)).state.last_seq).toBe(storedBefore);
  });

  it("answers NOT_FOUND for another tenant's task", async () => {
    const owner = newIdentity();
    const { taskId } = await submit(owner);

    const error = await failureOf(sut.getTask({ taskId }, as(newIdentity())));

    expect(error.code).toBe(Code.NotFound);
    expect(describeRemoteError(error)).toMatchObject({ code: ErrorCode.TaskNotFound, message: 'Task not found' });
  });

  it('lists the caller’s tasks newest first with the total count, filtered by status and session', async () => {
    const identity = newIdentity();
    const session = randomUUID();
    const first = await submit(identity, FRANCE, undefined, session);
    const second = await submit(identity, 'What is 2 + 2?', undefined, session);
    const third = await submit(identity, 'Write a haiku about coding');
    for (const task of [first, second, third]) {
      await waitForStatus(identity, task.taskId, TaskStatus.COMPLETED);
    }

    const page = await sut.listTasks({ limit: 2 }, as(identity));
    expect(page.totalCount).toBe(3);
    expect(page.tasks.map((task) => task.taskId)).toEqual([third.taskId, second.taskId]);
    const rest = await sut.listTasks({ limit: 2, offset: 2 }, as(identity));
    expect(rest.tasks.map((task) => task.taskId)).toEqual([first.taskId]);

    const completed = await sut.listTasks({ status: TaskStatus.COMPLETED }, as(identity));
    expect(completed.totalCount).toBe(3);
    expect(completed.tasks.every((task) => task.status === TaskStatus.COMPLETED)).toBe(true);
    const queued = await sut.listTasks({ status: TaskStatus.QUEUED }, as(identity));
    expect(queued).toMatchObject({ totalCount: 0, tasks: [] });
    const inSession = await sut.listTasks({ sessionId: session }, as(identity));
    expect(inSession.tasks.map((task) => task.taskId)).toEqual([second.taskId, first.taskId]);
    const otherUser = await sut.listTasks({}, as({ tenantId: identity.tenantId, userId: randomUUID() }));
    expect(otherUser.totalCount).toBe(0);
  });

  it('rejects bad input with INVALID_ARGUMENT and stores nothing', async () => {
    const identity = newIdentity();
    const sessionId = randomUUID();
    const rejected = async (request: Parameters<typeof sut.submitTask>[0]) => {
      const error = await failureOf(sut.submitTask({ sessionId, ...request }, as(identity)));
      expect(error.code).toBe(Code.InvalidArgument);
      expect(describeRemoteError(error).code).toBe(ErrorCode.ValidationFailed);
      return error.rawMessage;
    };

    expect(await rejected({ query: '   ' })).toBe('Query is required');
    expect(await rejected({ query: 'x'.repeat(10_001) })).toMatch(/^Query too long/);
    expect(await rejected({ query: FRANCE, mode: 'turbo' })).toMatch(/\bmode\b/);
    expect(await rejected({ query: FRANCE, context: { mock: { token_delay_ms: 'x' } } })).toMatch(/context\.mock\.token_delay_ms/);

    const { rows } = await db.query<{ count: string }>('SELECT count(*) FROM task.tasks WHERE tenant_id = $1', [identity.tenantId]);
    expect(Number(rows[0].count)).toBe(0);
  });

  it("sums the tokens of every user's tasks in the caller's tenant created since the given time", async () => {
    const owner = newIdentity();
    const colleague = { tenantId: owner.tenantId, userId: randomUUID() };
    const done = [];
    for (const identity of [owner, colleague, owner]) {
      const { taskId } = await submit(identity);
      done.push(await waitForStatus(identity, taskId, TaskStatus.COMPLETED));
    }
    const stranger = newIdentity();
    await waitForStatus(stranger, (await submit(stranger)).taskId, TaskStatus.COMPLETED);
    // The third task counts for last month.
    await db.query("UPDATE task.tasks SET created_at = now() - interval '40 days' WHERE id = $1", [done[2].taskId]);
    const since = timestampFromDate(new Date(Date.now() - 24 * 60 * 60 * 1000));

    const usage = await sut.getTenantUsage({ since }, as(colleague));

    expect(usage.inputTokens).toBe(BigInt((done[0].usage?.inputTokens ?? 0) + (done[1].usage?.inputTokens ?? 0)));
    expect(usage.outputTokens).toBe(BigInt((done[0].usage?.outputTokens ?? 0) + (done[1].usage?.outputTokens ?? 0)));
    expect(usage.outputTokens).toBeGreaterThan(0n);
    expect(await sut.getTenantUsage({ since }, as(newIdentity()))).toMatchObject({ inputTokens: 0n, outputTokens: 0n });
    expect(await sut.getTenantUsage({ since: timestampFromDate(new Date(Date.now() + 60_000)) }, as(owner))).toMatchObject({ inputTokens: 0n, outputTokens: 0n });
    const error = await failureOf(sut.getTenantUsage({}, as(owner)));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.rawMessage).toBe('since is required');
  });

  it('shows a long answer as RUNNING before it is COMPLETED', async () => {
    const identity = newIdentity();
    const { taskId } = await submit(identity, 'Write a 300 word essay about rivers', { mock: { token_delay_ms: 2 } });

    const running = await waitForStatus(identity, taskId, TaskStatus.RUNNING);
    expect(running.result).toBe('');
    expect(running.startedAt).toBeDefined();
    expect(running.completedAt).toBeUndefined();

    const done = await waitForStatus(identity, taskId, TaskStatus.COMPLETED, 30_000);
    expect(done.result.split(/\s+/).filter(Boolean)).toHaveLength(300);
    expect(done.usage?.outputTokens).toBeGreaterThanOrEqual(300);
  });

  it('leaves a finished task unchanged when its work item is delivered again', async () => {
    const identity = newIdentity();
    const { taskId } = await submit(identity);
    await waitForStatus(identity, taskId, TaskStatus.COMPLETED);
    const before = await taskRow(taskId);

    const item = toBinary(TaskWorkItemSchema, create(TaskWorkItemSchema, { taskId, tenantId: identity.tenantId }));
    const ack = await jetstream(nats).publish(names.taskWorkSubject, item, { msgID: `${taskId}:redelivery` });
    expect(ack.duplicate).toBe(false);
    await waitForWorkQueueDrained(ack.seq);

    const after = await taskRow(taskId);
    expect(after.status).toBe('COMPLETED');
    expect(after.result).toBe(before.result);
    expect(after.completed_at).toEqual(before.completed_at);
    expect(after.updated_at).toEqual(before.updated_at);
  });
});
