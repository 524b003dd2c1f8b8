import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type {
  INestApplicationContext,
  INestMicroservice,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type CallerIdentity, identityHeaders } from '@shannon/auth';
import { loadConfig } from '@shannon/config';
import {
  BusNames,
  HealthService,
  SessionService,
  type Task,
  TaskService,
  TaskStatus,
  TurnConcurrency,
} from '@shannon/contracts';
import { Migrator } from '@shannon/db';
import {
  createGrpcClient,
  type GrpcClient,
  startGrpcService,
} from '@shannon/grpc';
import {
  ensureTestDatabase,
  freePort,
  newBusNamespace,
  newIdentity,
  waitFor,
} from '@shannon/testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from 'nestjs-pino';
import { ulid } from 'ulid';
import { AppModule } from '../src/app.module';
import { TASK_SCHEMA, type TaskConfig, taskConfigSchema } from '../src/config';
import type {
  ChatMessage,
  LlmProvider,
  LlmRequest,
  RetryNotice,
} from '../src/llm';
import {
  createSessionClient,
  SESSION_CLIENT,
  type SessionClient,
} from '../src/sessions/conversation-history';
import type { TaskRow } from '../src/tasks/task.repository';
import {
  LlmProviderRegistry,
  modelCatalogFor,
} from '../src/worker/llm-provider.registry';

const SESSION_MAIN = join(__dirname, '../../../dist/apps/session/main.js');

/** The worker's real provider registry, keeping the conversation (without the system prompt) each task's model received. */
class RecordingProviderRegistry {
  readonly prompts = new Map<string, ChatMessage[]>();

  constructor(private readonly real: LlmProviderRegistry) {}

  get catalog() {
    return this.real.catalog;
  }

  forTask(
    task: TaskRow,
    onRetry?: (notice: RetryNotice) => void,
  ): ReturnType<LlmProviderRegistry['forTask']> {
    const choice = this.real.forTask(task, onRetry);
    const client: LlmProvider = {
      name: choice.client.name,
      stream: (request: LlmRequest) => {
        this.prompts.set(
          task.id,
          request.messages.filter((message) => message.role !== 'system'),
        );
        return choice.client.stream(request);
      },
    };
    return { ...choice, client };
  }
}

/**
 * The conversation window end to end inside the platform: the session service (the built one, as a
 * process) records turns from the bus, the task worker (in-process) asks it for the history, and
 * the prompt that reaches the model provider is checked.
 */
describe('conversation history reaches the model', () => {
  const namespace = newBusNamespace('conversation');
  let recorder: RecordingProviderRegistry;
  /** The tasks the worker asked the session service for history, in order. */
  const historyCalls: string[] = [];
  let session: ChildProcess;
  let api: INestMicroservice;
  let worker: INestApplicationContext;
  let tasks: GrpcClient<typeof TaskService>;
  let sessions: GrpcClient<typeof SessionService>;

  const as = (identity: CallerIdentity) => ({
    headers: identityHeaders(identity),
  });

  /** What the gateway does for a submit: reserve the turn, then create the task under its id. */
  async function submit(
    identity: CallerIdentity,
    chat: string,
    query: string,
  ): Promise<Task> {
    const taskId = `task_${ulid()}`;
    const begun = await sessions.beginTurn(
      { sessionId: chat, taskId, query, concurrency: TurnConcurrency.ENQUEUE },
      as(identity),
    );
    const { task } = await tasks.submitTask(
      { taskId, sessionId: begun.session?.id, sessionTurn: begun.turn?.seq, query },
      as(identity),
    );
    if (!task) {
      throw new Error('SubmitTask answered without a task');
    }
    return task;
  }

  function completed(identity: CallerIdentity, taskId: string): Promise<Task> {
    return waitFor(
      async () => {
        const { task } = await tasks.getTask({ taskId }, as(identity));
        if (task?.status === TaskStatus.FAILED) {
          throw new Error(`task failed: ${task.error}`);
        }
        return task?.status === TaskStatus.COMPLETED ? task : undefined;
      },
      { timeoutMs: 30_000, description: `task ${taskId} to complete` },
    );
  }

  beforeAll(async () => {
    if (!existsSync(SESSION_MAIN)) {
      throw new Error(
        `${SESSION_MAIN} is missing: build the session service first (npx nx build session)`,
      );
    }
    const url = await ensureTestDatabase('shannon_int_test');
    await new Migrator(
      url,
      TASK_SCHEMA,
      join(__dirname, '../prisma/migrations'),
    ).migrate();
    const [taskPort, sessionPort] = [await freePort(), await freePort()];
    session = spawn(process.execPath, [SESSION_MAIN], {
      cwd: join(SESSION_MAIN, '..'),
      env: {
        ...process.env,
        DATABASE_URL: url,
        MIGRATE_ON_START: '1',
        GRPC_HOST: '127.0.0.1',
        GRPC_PORT: String(sessionPort),
        NATS_NAMESPACE: namespace,
        TASK_GRPC_URL: `http://127.0.0.1:${taskPort}`,
        ENVIRONMENT: 'test',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const env = {
      DATABASE_URL: url,
      NATS_NAMESPACE: namespace,
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(taskPort),
      SESSION_GRPC_URL: `http://127.0.0.1:${sessionPort}`,
      LOG_LEVEL: 'warn',
      ENVIRONMENT: 'test',
      OUTBOX_POLL_MS: '200',
      MOCK_TOKEN_DELAY_MS: '0',
      MOCK_START_DELAY_MS: '0',
      // A small window, so its limits show: two turns, 120 tokens.
      SESSION_HISTORY_MAX_TURNS: '2',
      SESSION_HISTORY_MAX_TOKENS: '120',
    };
    const apiConfig: TaskConfig = loadConfig(taskConfigSchema, {
      ...env,
      TASK_ROLE: 'api',
    });
    api = await startGrpcService({
      module: AppModule.forRoot(apiConfig),
      services: [TaskService],
      host: '127.0.0.1',
      port: taskPort,
    });
    const workerConfig = loadConfig(taskConfigSchema, {
      ...env,
      TASK_ROLE: 'worker',
    });
    recorder = new RecordingProviderRegistry(
      new LlmProviderRegistry(workerConfig, modelCatalogFor(workerConfig)),
    );
    const workerModule = await Test.createTestingModule({
      imports: [AppModule.forRoot(workerConfig)],
    })
      .overrideProvider(LlmProviderRegistry)
      .useValue(recorder)
      .overrideProvider(SESSION_CLIENT)
      .useFactory({
        factory: (): SessionClient => {
          const real = createSessionClient(workerConfig);
          return {
            getConversation: (request, options) => {
              historyCalls.push(request.taskId ?? '');
              return real.getConversation(request, options);
            },
          };
        },
      })
      .compile();
    worker = workerModule;
    worker.useLogger(worker.get(Logger));
    await worker.init();
    tasks = createGrpcClient(TaskService, `http://127.0.0.1:${taskPort}`);
    sessions = createGrpcClient(
      SessionService,
      `http://127.0.0.1:${sessionPort}`,
    );
    const health = createGrpcClient(
      HealthService,
      `http://127.0.0.1:${sessionPort}`,
    );
    await waitFor(() => health.check({}).then(() => true), {
      timeoutMs: 30_000,
      description: 'the session service to answer',
    });
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    if (session && session.exitCode === null) {
      const exited = new Promise((resolve) => session.once('exit', resolve));
      session.kill('SIGTERM');
      await exited;
    }
    const nats = await connect({ servers: 'nats://127.0.0.1:4222' });
    const jsm = await jetstreamManager(nats);
    const names = new BusNames(namespace);
    for (const stream of [names.tasksStream, names.eventsStream]) {
      await jsm.streams.delete(stream).catch(() => undefined);
    }
    await nats.close();
  });

  it('gives the second turn the first one as history, so "its" is Python (both submitted back to back)', async () => {
    const identity = newIdentity();
    const chat = `user-123-chat-${randomUUID()}`;

    const first = await submit(identity, chat, 'What is Python?');
    const second = await submit(
      identity,
      chat,
      'What are its main advantages?',
    );

    const firstDone = await completed(identity, first.taskId);
    const secondDone = await completed(identity, second.taskId);
    expect(recorder.prompts.get(first.taskId)).toEqual([
      { role: 'user', content: 'What is Python?' },
    ]);
    expect(recorder.prompts.get(second.taskId)).toEqual([
      { role: 'user', content: 'What is Python?' },
      { role: 'assistant', content: firstDone.result },
      { role: 'user', content: 'What are its main advantages?' },
    ]);
    expect(secondDone.result).toMatch(/^Python's main advantages/);
    // The session's first turn has no earlier turns: its worker never asks for them.
    expect(historyCalls).not.toContain(first.taskId);
    expect(historyCalls).toContain(second.taskId);
  });

  it('keeps only the newest turns that fit the window (2 turns), so an older topic is out of reach', async () => {
    const identity = newIdentity();
    const chat = `window-${randomUUID()}`;
    const ids: string[] = [];
    for (const query of [
      'Tell me about Rust',
      'What is the capital of France?',
      'What is 2 + 2?',
    ]) {
      ids.push((await submit(identity, chat, query)).taskId);
    }
    const last = await submit(identity, chat, 'What are its main advantages?');

    const done = await completed(identity, last.taskId);

    expect(
      recorder.prompts
        .get(last.taskId)
        ?.filter((m) => m.role === 'user')
        .map((m) => m.content),
    ).toEqual([
      'What is the capital of France?',
      'What is 2 + 2?',
      'What are its main advantages?',
    ]);
    expect(done.result).toMatch(/not sure what "its" refers to/);
  });

  it('cuts a long earlier answer to the token budget (120 tokens)', async () => {
    const identity = newIdentity();
    const chat = `tokens-${randomUUID()}`;
    const essay = await submit(
      identity,
      chat,
      'Write a 300 word essay about Python',
    );
    const next = await submit(identity, chat, 'What are its main advantages?');

    const essayDone = await completed(identity, essay.taskId);
    const done = await completed(identity, next.taskId);

    const prompt = recorder.prompts.get(next.taskId) ?? [];
    expect(prompt.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(prompt[1].content.endsWith(' […]')).toBe(true);
    expect(
      essayDone.result.startsWith(prompt[1].content.slice(0, -' […]'.length)),
    ).toBe(true);
    const historyTokens =
      Math.ceil(prompt[0].content.length / 4) +
      Math.ceil(prompt[1].content.length / 4);
    expect(historyTokens).toBeLessThanOrEqual(120);
    expect(done.result).toMatch(/^Python's main advantages/);
  });
});
