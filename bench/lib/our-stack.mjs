import { execSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChildren } from './child-processes.mjs';

const require = createRequire(import.meta.url);
const { startStack, ROOT } = require('../../tools/stack/stack.cjs');
/** The services' own dependencies (NATS, pg), resolved from the repository root. */
const rootRequire = createRequire(join(ROOT, 'package.json'));
const { ensureInfrastructure } = require('../../tools/stack/infrastructure.cjs');
const { Client } = rootRequire('pg');

export const API_KEY = 'sk_test_123456';

/**
 * Builds (if needed) and starts our five services plus one worker on free ports against the bench
 * database; `extraWorkers` more worker processes join the same durable consumer, and
 * `withoutWorker` leaves the work queue undrained (tasks pile up queued).
 */
export async function startOurStack(env = {}, { extraWorkers = 0, withoutWorker = false } = {}) {
  await ensureInfrastructure();
  if (!['gateway', 'auth', 'session', 'task', 'streaming'].every((app) => existsSync(join(ROOT, 'dist', 'apps', app, 'main.js')))) {
    execSync('npx nx run-many -t build -p gateway auth session task streaming', { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } });
  }
  const namespace = `bench_${Date.now().toString(36)}_${process.pid}`;
  // A database of the run's own, so runs side by side never meet; dropped at stop.
  const database = `shannon_${namespace}`;
  await recreateDatabase(database);
  const names = ['auth', 'session', 'task', 'streaming', 'gateway'];
  const ports = {};
  for (const name of names) {
    ports[name] = await freePort();
  }
  const logDir = mkdtempSync(join(tmpdir(), 'shannon-bench-'));
  const stack = startStack({
    env: stackEnv(database, namespace, env),
    ports,
    logDir,
    without: withoutWorker ? ['task-worker'] : [],
  });
  const removeRun = async () => {
    await removeStreams(namespace);
    await dropDatabase(database);
  };
  try {
    await stack.waitUntilReady(120_000);
  } catch (error) {
    // Nothing of a stack that did not come up outlives the attempt.
    await stack.stop();
    await removeRun();
    throw new Error(`${error.message} (service logs in ${logDir})`);
  }
  const workers = Array.from({ length: extraWorkers }, (_, i) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', 'task', 'main.js')], {
      cwd: join(ROOT, 'dist', 'apps', 'task'),
      // The stack's service addresses too: a worker asks the session service for a task's history.
      env: { ...process.env, ...stackEnv(database, namespace, env), ...stack.grpcUrls, TASK_ROLE: 'worker' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = createWriteStream(join(logDir, `task-worker-${i + 2}.log`));
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    return child;
  });
  const replicas = [];
  return {
    ...stack,
    namespace,
    /** Another gateway process in front of the same services, with settings of its own (`env`). */
    async startGateway(gatewayEnv) {
      const port = await freePort();
      const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', 'gateway', 'main.js')], {
        cwd: join(ROOT, 'dist', 'apps', 'gateway'),
        env: { ...process.env, ...stackEnv(database, namespace, env), ...stack.grpcUrls, PORT: String(port), HOST: '127.0.0.1', ...gatewayEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const log = createWriteStream(join(logDir, `gateway-${port}.log`));
      child.stdout.pipe(log);
      child.stderr.pipe(log);
      replicas.push(child);
      const url = `http://127.0.0.1:${port}`;
      await waitForHealth(url, child);
      return url;
    },
    databaseUrl: `postgresql://postgres@127.0.0.1:5432/${database}`,
    /** How many tasks have finished (any final status) so far. */
    async finishedTasks() {
      const { rows } = await onPostgres(['SELECT count(*)::int AS n FROM task.tasks WHERE completed_at IS NOT NULL'], database);
      return rows[0].n;
    },
    /** Stops the services and removes the run's NATS streams. */
    async stop() {
      await stopChildren([...workers, ...replicas]);
      await stack.stop();
      await removeRun();
    },
  };
}

function stackEnv(database, namespace, env) {
  return {
    ENVIRONMENT: 'test',
    GATEWAY_SKIP_AUTH: '0',
    MIGRATE_ON_START: '1',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'warn',
    DATABASE_URL: `postgresql://postgres@127.0.0.1:5432/${database}`,
    NATS_NAMESPACE: namespace,
    MOCK_TOKEN_DELAY_MS: '0',
    MOCK_START_DELAY_MS: '0',
    WORKER_CONCURRENCY: '16',
    RATE_LIMIT_RPM: '1000000',
    RATE_LIMIT_BURST: '1000000',
    ...env,
  };
}

/** Runs the statements in order on `database`; resolves the last one's result. */
export async function onPostgres(statements, database = 'postgres') {
  const client = new Client({ connectionString: `postgresql://postgres@127.0.0.1:5432/${database}` });
  await client.connect();
  try {
    let result;
    for (const statement of statements) {
      result = await client.query(statement);
    }
    return result;
  } finally {
    await client.end();
  }
}

export const recreateDatabase = (name) => onPostgres([`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`, `CREATE DATABASE "${name}"`]);
export const dropDatabase = (name) => onPostgres([`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`]);

const removeStreams = (namespace) => onJetStream((jsm) => Promise.all(['TASKS', 'EVENTS'].map((name) => jsm.streams.delete(`${namespace.toUpperCase()}_${name}`).catch(() => undefined))));

/** Runs `use(jetStreamManager)` on a connection of its own to the local NATS; resolves its result. */
export async function onJetStream(use) {
  const { connect } = rootRequire('@nats-io/transport-node');
  const { jetstreamManager } = rootRequire('@nats-io/jetstream');
  const nats = await connect({ servers: '127.0.0.1:4222', name: 'bench-streams' });
  try {
    return await use(await jetstreamManager(nats));
  } finally {
    await nats.close();
  }
}

async function waitForHealth(url, child) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`the gateway at ${url} exited with ${child.exitCode}`);
    }
    if (await fetch(`${url}/health`).then((response) => response.ok, () => false)) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`${url} did not answer /health within 60 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
