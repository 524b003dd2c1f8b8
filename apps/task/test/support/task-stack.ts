import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { INestApplicationContext, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type CallerIdentity, identityHeaders } from '@shannon/auth';
import { loadConfig } from '@shannon/config';
import { BusNames, type Task, type TaskEvent, TaskService, TaskStatus } from '@shannon/contracts';
import { Migrator } from '@shannon/db';
import { createGrpcClient, type GrpcClient, startGrpcService } from '@shannon/grpc';
import { connectTestDatabase, ensureTestDatabase, freePort, newBusNamespace, waitFor } from '@shannon/testing';
import { Logger } from 'nestjs-pino';
import { join } from 'node:path';
import type { Client } from 'pg';
import { AppModule } from '../../src/app.module';
import { TASK_SCHEMA, taskConfigSchema } from '../../src/config';
import { readTaskEvents } from './task-bus-reader';

export const MIGRATIONS = join(__dirname, '../../prisma/migrations');

export interface TaskSurfaces {
  status: TaskStatus | undefined;
  isPaused: boolean | undefined;
  listedAsPaused: boolean;
  listedAsRunning: boolean;
}

/** A paused task as every read must show it (ADR 0015), from the moment the pause is accepted. */
export const PAUSED_EVERYWHERE: TaskSurfaces = { status: TaskStatus.PAUSED, isPaused: true, listedAsPaused: true, listedAsRunning: false };

/**
 * The task service in-process for integration tests: an api (gRPC + relay) and optionally a
 * worker, against the integration database and a NATS namespace of their own.
 */
export class TaskStack {
  readonly namespace: string;
  readonly names: BusNames;
  api!: INestMicroservice;
  worker?: INestApplicationContext;
  client!: GrpcClient<typeof TaskService>;
  db!: Client;
  nats!: NatsConnection;
  jsm!: JetStreamManager;
  databaseUrl!: string;
  private env!: Record<string, string>;

  constructor(label: string) {
    this.namespace = newBusNamespace(label);
    this.names = new BusNames(this.namespace);
  }

  async start(options: { worker: boolean; env?: Record<string, string> }): Promise<this> {
    this.databaseUrl = await ensureTestDatabase('shannon_int_test');
    await new Migrator(this.databaseUrl, TASK_SCHEMA, MIGRATIONS).migrate();
    const port = await freePort();
    this.env = {
      DATABASE_URL: this.databaseUrl,
      NATS_NAMESPACE: this.namespace,
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(port),
      LOG_LEVEL: 'error',
      ENVIRONMENT: 'test',
      OUTBOX_POLL_MS: '200',
      MOCK_TOKEN_DELAY_MS: '0',
      MOCK_START_DELAY_MS: '0',
      // No session service runs here: the runtime's tests use no conversation history.
      SESSION_HISTORY_MAX_TURNS: '0',
      ...options.env,
    };
    this.api = await startGrpcService({ module: AppModule.forRoot(loadConfig(taskConfigSchema, { ...this.env, TASK_ROLE: 'api' })), services: [TaskService], host: '127.0.0.1', port });
    if (options.worker) {
      await this.startWorker();
    }
    this.client = createGrpcClient(TaskService, `http://127.0.0.1:${port}`);
    this.db = await connectTestDatabase(this.databaseUrl);
    this.nats = await connect({ servers: 'nats://127.0.0.1:4222', name: `${this.namespace}-spec` });
    this.jsm = await jetstreamManager(this.nats);
    return this;
  }

  /** The environment a worker process of this stack needs (to spawn the built service). */
  workerEnv(extra: Record<string, string> = {}): Record<string, string> {
    return { ...this.env, TASK_ROLE: 'worker', LOG_FORMAT: 'json', ...extra };
  }

  async startWorker(): Promise<INestApplicationContext> {
    const worker = await NestFactory.createApplicationContext(AppModule.forRoot(loadConfig(taskConfigSchema, { ...this.env, TASK_ROLE: 'worker' })), { bufferLogs: true });
    worker.useLogger(worker.get(Logger));
    await worker.init();
    this.worker = worker;
    return worker;
  }

  async stop(): Promise<void> {
    await this.api?.close();
    await this.worker?.close();
    for (const stream of [this.names.tasksStream, this.names.eventsStream]) {
      await this.jsm?.streams.delete(stream).catch(() => undefined);
    }
    await this.nats?.close();
    await this.db?.end();
  }

  as(identity: CallerIdentity) {
    return { headers: identityHeaders(identity) };
  }

  async submit(identity: CallerIdentity, request: Parameters<GrpcClient<typeof TaskService>['submitTask']>[0]): Promise<Task> {
    const { task } = await this.client.submitTask({ sessionId: '00000000-0000-4000-8000-000000000001', ...request }, this.as(identity));
    if (!task) {
      throw new Error('SubmitTask answered without a task');
    }
    return task;
  }

  /** Polls GetTask until `accept` takes the task. */
  waitForTask(identity: CallerIdentity, taskId: string, accept: (task: Task) => boolean, description: string, timeoutMs = 20_000): Promise<Task> {
    return waitFor(
      async () => {
        const { task } = await this.client.getTask({ taskId }, this.as(identity));
        return task && accept(task) ? task : undefined;
      },
      { timeoutMs, intervalMs: 20, description: `task ${taskId} ${description}` },
    );
  }

  waitForStatus(identity: CallerIdentity, taskId: string, status: TaskStatus, timeoutMs = 20_000): Promise<Task> {
    return this.waitForTask(identity, taskId, (task) => task.status === status, `to be ${TaskStatus[status]}`, timeoutMs);
  }

  /** The ids of the caller's tasks the list gives for `status`. */
  async listed(identity: CallerIdentity, status: TaskStatus): Promise<string[]> {
    const { tasks } = await this.client.listTasks({ status, limit: 100 }, this.as(identity));
    return tasks.map((task) => task.taskId);
  }

  /** What every read says of the task: its status, its control state, and whether the PAUSED and RUNNING lists hold it. */
  async surfaces(identity: CallerIdentity, taskId: string): Promise<TaskSurfaces> {
    const [{ task }, { state }, paused, running] = await Promise.all([
      this.client.getTask({ taskId }, this.as(identity)),
      this.client.getControlState({ taskId }, this.as(identity)),
      this.listed(identity, TaskStatus.PAUSED),
      this.listed(identity, TaskStatus.RUNNING),
    ]);
    return { status: task?.status, isPaused: state?.isPaused, listedAsPaused: paused.includes(taskId), listedAsRunning: running.includes(taskId) };
  }

  events(identity: CallerIdentity, taskId: string) {
    return readTaskEvents(this.nats, this.jsm, this.names, identity.tenantId, taskId);
  }

  /** Polls the task's events until `accept` takes them, then returns them. */
  eventsWhen(identity: CallerIdentity, taskId: string, accept: (events: TaskEvent[]) => boolean, description: string, timeoutMs = 20_000): Promise<TaskEvent[]> {
    return waitFor(
      async () => {
        const events = await this.events(identity, taskId);
        return accept(events) ? events : undefined;
      },
      { timeoutMs, description: `the events of ${taskId} ${description}` },
    );
  }

  /** Waits until the task's event stream ends (STREAM_END stored), then returns every event. */
  finalEvents(identity: CallerIdentity, taskId: string, timeoutMs = 20_000): Promise<TaskEvent[]> {
    return this.eventsWhen(identity, taskId, (events) => events.some((event) => event.type === 'STREAM_END'), 'to end', timeoutMs);
  }

  async steps(taskId: string): Promise<{ key: string; kind: string; status: string; input_tokens: number; output_tokens: number; attempt: number }[]> {
    const { rows } = await this.db.query('SELECT key, kind, status, input_tokens, output_tokens, attempt FROM task.task_steps WHERE task_id = $1 ORDER BY created_at, key', [taskId]);
    return rows;
  }
}
