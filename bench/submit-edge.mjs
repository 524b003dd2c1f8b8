// Submit throughput with the edge on (API key auth, Redis rate limiting, a durable Idempotency-Key
// on every request) against the same stack with auth skipped and limits off: the cost of the edge
// as a ratio. Loopback only, bounded in requests and time. Run after `npm run build`:
//   node bench/submit-edge.mjs [--clients 16] [--requests 300] [--rounds 3]
// Writes bench/results/<date>-submit-edge.{json,md}.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const require = createRequire(import.meta.url);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { startStack } = require(join(ROOT, 'tools/stack/stack.cjs'));
const { Client } = require('pg');
const { spawn } = require('node:child_process');
const { connect } = require('@nats-io/transport-node');
const { jetstreamManager } = require('@nats-io/jetstream');
const { createServer } = require('node:net');

const args = Object.fromEntries(process.argv.slice(2).join(' ').split('--').filter(Boolean).map((pair) => pair.trim().split(/\s+/)));
const CLIENTS = Number(args.clients ?? 16);
const REQUESTS = Number(args.requests ?? 300);
const ROUNDS = Number(args.rounds ?? 3);
const DEADLINE = Date.now() + 15 * 60_000;
const BASE_URL = process.env.TEST_DATABASE_BASE_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const DATABASE = `${process.env.TEST_DATABASE_PREFIX ?? ''}shannon_bench_test`;
const DEV_KEY = 'sk_test_123456';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function ensureDatabase() {
  const admin = new Client({ connectionString: `${BASE_URL}/postgres` });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE "${DATABASE}"`);
    }
  } finally {
    await admin.end();
  }
  return `${BASE_URL}/${DATABASE}`;
}

async function waitForHealth(url, child) {
  for (let i = 0; i < 300; i += 1) {
    if (child && child.exitCode !== null) {
      throw new Error(`gateway exited with ${child.exitCode}`);
    }
    try {
      if ((await fetch(`${url}/health`)).ok) {
        return;
      }
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer /health`);
}

/** A gateway replica in front of the stack's services, with its own settings. */
async function startGateway(stackEnv, ports, env) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'dist/apps/gateway/main.js')], {
    cwd: join(ROOT, 'dist/apps/gateway'),
    env: {
      ...process.env,
      ...stackEnv,
      AUTH_GRPC_URL: `http://127.0.0.1:${ports.auth}`,
      SESSION_GRPC_URL: `http://127.0.0.1:${ports.session}`,
      TASK_GRPC_URL: `http://127.0.0.1:${ports.task}`,
      STREAMING_GRPC_URL: `http://127.0.0.1:${ports.streaming}`,
      PORT: String(port),
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child);
  return { url, child };
}

/** CLIENTS concurrent loops sending REQUESTS submits in all; returns requests/s and latency percentiles. */
async function round(url, headersFor) {
  let next = 0;
  const latencies = [];
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < REQUESTS && Date.now() < DEADLINE) {
        next += 1;
        const t0 = performance.now();
        const response = await fetch(`${url}/api/v1/tasks`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...headersFor() },
          body: JSON.stringify({ query: 'What is the capital of France?' }),
        });
        await response.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (response.status !== 200) {
          failures += 1;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) => Number(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1));
  return { requests: latencies.length, failures, seconds: Number(seconds.toFixed(2)), rps: Number((latencies.length / seconds).toFixed(1)), p50_ms: pct(50), p95_ms: pct(95), p99_ms: pct(99) };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

function version(pkg) {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

async function main() {
  const databaseUrl = await ensureDatabase();
  const names = ['auth', 'session', 'task', 'streaming', 'gateway'];
  const ports = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await freePort()])));
  const stackEnv = {
    ENVIRONMENT: 'test',
    GATEWAY_SKIP_AUTH: '0',
    MIGRATE_ON_START: '1',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    NATS_NAMESPACE: `bench_${randomUUID().slice(0, 8)}`,
    RATE_LIMIT_RPM: '1000000',
    RATE_LIMIT_BURST: '1000000',
  };
  const load = { before: loadavg() };
  const stack = startStack({ env: stackEnv, ports, logDir: join(tmpdir(), `shannon-bench-${Date.now()}`) });
  const gateways = [];
  try {
    await stack.waitUntilReady(120_000);
    // Submit throughput only: the worker would compete for the same cores, so it is stopped and
    // the work items wait in the queue.
    const worker = stack.children.find(({ service }) => service.name === 'task-worker');
    worker.child.kill('SIGTERM');
    const edge = await startGateway(stackEnv, ports, { GATEWAY_SKIP_AUTH: '0', RATE_LIMIT_ENABLED: '1' });
    const bare = await startGateway(stackEnv, ports, { GATEWAY_SKIP_AUTH: '1', RATE_LIMIT_ENABLED: '0' });
    gateways.push(edge, bare);
    const configs = {
      edge: { url: edge.url, headers: () => ({ 'X-API-Key': DEV_KEY, 'Idempotency-Key': randomUUID() }), description: 'API key auth (cached), Redis token bucket, durable Idempotency-Key on every submit' },
      bare: { url: bare.url, headers: () => ({}), description: 'GATEWAY_SKIP_AUTH=1, RATE_LIMIT_ENABLED=0, no Idempotency-Key' },
    };
    // Warm both (JIT, connection pools, caches), then alternate rounds so drift hits both alike.
    for (const config of Object.values(configs)) {
      await round(config.url, config.headers);
    }
    const rounds = { edge: [], bare: [] };
    for (let i = 0; i < ROUNDS && Date.now() < DEADLINE; i += 1) {
      for (const name of i % 2 === 0 ? ['edge', 'bare'] : ['bare', 'edge']) {
        rounds[name].push(await round(configs[name].url, configs[name].headers));
      }
    }
    load.after = loadavg();
    const edgeRps = median(rounds.edge.map((r) => r.rps));
    const bareRps = median(rounds.bare.map((r) => r.rps));
    const result = {
      workload: 'submit-edge',
      date: new Date().toISOString(),
      parameters: { clients: CLIENTS, requests_per_round: REQUESTS, rounds: ROUNDS, worker: 'stopped (submit path only)' },
      machine: { cores: cpus().length, cpu: cpus()[0]?.model, memory_gb: Number((totalmem() / 2 ** 30).toFixed(1)), loadavg_before: load.before, loadavg_after: load.after },
      versions: { node: process.version, fastify: version('fastify'), '@nestjs/core': version('@nestjs/core'), ioredis: version('ioredis'), jose: version('jose'), prisma: version('@prisma/client') },
      configs: Object.fromEntries(Object.entries(configs).map(([name, c]) => [name, c.description])),
      rounds,
      median_rps: { edge: edgeRps, bare: bareRps },
      edge_to_bare_ratio: Number((edgeRps / bareRps).toFixed(3)),
      edge_cost_percent: Number(((1 - edgeRps / bareRps) * 100).toFixed(1)),
      target: 'edge cost under 15 % of submit throughput',
    };
    const day = result.date.slice(0, 10);
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(join(ROOT, `bench/results/${day}-submit-edge.json`), `${JSON.stringify(result, null, 2)}\n`);
    const rows = ['edge', 'bare'].flatMap((name) => rounds[name].map((r, i) => `| ${name} | ${i + 1} | ${r.requests} | ${r.failures} | ${r.rps} | ${r.p50_ms} | ${r.p95_ms} | ${r.p99_ms} |`));
    writeFileSync(
      join(ROOT, `bench/results/${day}-submit-edge.md`),
      [
        `# Submit throughput: the cost of the edge (${day})`,
        '',
        `Machine: ${result.machine.cores} cores (${result.machine.cpu}), ${result.machine.memory_gb} GB; load average before ${load.before.map((l) => l.toFixed(2)).join(' ')}, after ${load.after.map((l) => l.toFixed(2)).join(' ')} (shared with other work).`,
        `Versions: Node ${result.versions.node}, fastify ${result.versions.fastify}, Nest ${result.versions['@nestjs/core']}, ioredis ${result.versions.ioredis}, jose ${result.versions.jose}, Prisma ${result.versions.prisma}.`,
        `Load: ${CLIENTS} concurrent clients, ${REQUESTS} POST /api/v1/tasks per round, ${ROUNDS} rounds per configuration after one warm-up each, alternating; the built services on loopback; the task worker stopped (submit path only).`,
        '',
        `- **edge**: ${configs.edge.description}`,
        `- **bare**: ${configs.bare.description}`,
        '',
        '| config | round | requests | non-200 | req/s | p50 ms | p95 ms | p99 ms |',
        '|---|---|---|---|---|---|---|---|',
        ...rows,
        '',
        `Median: edge ${edgeRps} req/s, bare ${bareRps} req/s; ratio ${result.edge_to_bare_ratio}; **edge cost ${result.edge_cost_percent} %** (target: under 15 %).`,
        '',
      ].join('\n'),
    );
    console.log(JSON.stringify({ median_rps: result.median_rps, edge_cost_percent: result.edge_cost_percent }, null, 2));
  } finally {
    for (const gateway of gateways) {
      gateway.child.kill('SIGTERM');
    }
    await stack.stop();
    // The queued work items of this run go with its streams.
    const nats = await connect({ servers: 'nats://127.0.0.1:4222', name: 'bench-cleanup' });
    const jsm = await jetstreamManager(nats);
    for (const stream of ['TASKS', 'EVENTS']) {
      await jsm.streams.delete(`${stackEnv.NATS_NAMESPACE.toUpperCase()}_${stream}`).catch(() => undefined);
    }
    await nats.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
