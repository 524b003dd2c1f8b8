import { execSync } from 'node:child_process';
import { cpuMs, openClients, percentile, residentBytes } from '../lib/sse-clients.mjs';
import { API_KEY, startOurStack } from '../lib/our-stack.mjs';

const HEADERS = { 'x-api-key': API_KEY };
const CLIENTS = (process.env.BENCH_FANOUT_CLIENTS ?? '1000,5000').split(',').map(Number);
/** Live tasks the clients are spread over, and the pace of their answers. */
const TASKS = 10;
const TOKEN_DELAY_MS = 200;
const START_DELAY_MS = Number(process.env.BENCH_FANOUT_START_DELAY_MS ?? 45_000);

function openFileLimit() {
  try {
    return Number(execSync('ulimit -n', { shell: '/bin/bash' }).toString().trim());
  } catch {
    return 0;
  }
}

async function submit(url, startDelayMs) {
  const response = await fetch(`${url}/api/v1/tasks`, {
    method: 'POST',
    headers: { ...HEADERS, 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'Write a 600 word essay about rivers', context: { mock: { token_delay_ms: TOKEN_DELAY_MS, start_delay_ms: startDelayMs } } }),
  });
  return (await response.json()).task_id;
}

const gatewayMetric = async (url, name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(await (await fetch(`${url}/metrics`)).text())?.[1] ?? 0);

async function fanout(stack, clients, durationSeconds) {
  const url = stack.gatewayUrl;
  const pid = stack.children.find(({ service }) => service.name === 'gateway').child.pid;
  const rssBefore = residentBytes(pid);
  // The answers start a minute later, after every client is connected (or as soon as they are).
  const connectStarted = Date.now();
  const tasks = await Promise.all(Array.from({ length: TASKS }, () => submit(url, START_DELAY_MS)));
  const lags = [];
  let measuring = false;
  let windowStart = 0;
  let frames = 0;
  const pool = await openClients(
    clients,
    (i) => `${url}/api/v1/tasks/${tasks[i % TASKS]}/stream`,
    () => ({
      headers: HEADERS,
      onFrame: (frame) => {
        if (measuring && frame.ms >= windowStart) {
          frames += 1;
          lags.push(frame.lag);
        }
      },
    }),
  );
  const connectSeconds = (Date.now() - connectStarted) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const rssConnected = residentBytes(pid);
  const feeds = await gatewayMetric(url, 'shannon_stream_feeds');
  // Wait for the answers to start, then measure a fixed window.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, connectStarted + START_DELAY_MS + 2_000 - Date.now())));
  windowStart = Date.now();
  measuring = true;
  const cpuStart = cpuMs(pid);
  let rssPeak = rssConnected;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, residentBytes(pid))), 500);
  await new Promise((resolve) => setTimeout(resolve, durationSeconds * 1000));
  measuring = false;
  clearInterval(sampler);
  const cpuShare = (cpuMs(pid) - cpuStart) / (durationSeconds * 1000);
  pool.forEach((client) => client.close());
  await Promise.all(pool.map((client) => client.ended));
  lags.sort((a, b) => a - b);
  return {
    clients,
    live_tasks: TASKS,
    upstream_feeds: feeds,
    connect_s: Number(connectSeconds.toFixed(1)),
    frames_per_s: Math.round(frames / durationSeconds),
    p50_lag_ms: percentile(lags, 50),
    p99_lag_ms: percentile(lags, 99),
    max_lag_ms: lags.at(-1) ?? 0,
    gateway_rss_mb: Number((rssPeak / 2 ** 20).toFixed(1)),
    kb_per_connection_idle: Number(((rssConnected - rssBefore) / clients / 1024).toFixed(1)),
    kb_per_connection_streaming: Number(((rssPeak - rssBefore) / clients / 1024).toFixed(1)),
    gateway_cpu_share: Number(cpuShare.toFixed(2)),
  };
}

/** W3: thousands of SSE clients on one gateway process following live tasks. */
export async function run({ durationSeconds }) {
  const limit = openFileLimit();
  const needed = Math.max(...CLIENTS) + 1_000;
  if (limit && limit < needed) {
    throw new Error(`W3 needs about ${needed} open files in this process (ulimit -n is ${limit}): raise it with ulimit -n ${needed}`);
  }
  const stack = await startOurStack({ STREAM_CATCHUP_CONCURRENCY: '256' });
  try {
    const rows = [];
    for (const clients of CLIENTS) {
      rows.push(await fanout(stack, clients, durationSeconds));
    }
    return {
      workload: 'w3-fanout',
      title: 'W3 fan-out: SSE clients on one gateway process following live tasks',
      columns: ['clients', 'live_tasks', 'upstream_feeds', 'connect_s', 'frames_per_s', 'p50_lag_ms', 'p99_lag_ms', 'max_lag_ms', 'gateway_rss_mb', 'kb_per_connection_idle', 'kb_per_connection_streaming', 'gateway_cpu_share'],
      rows,
      notes: [
        `Each client follows one of ${TASKS} live tasks (a ${TOKEN_DELAY_MS} ms token pace, about ${Math.round(1000 / TOKEN_DELAY_MS)} events per second per task); the load client runs in the bench process on the same 2 cores as all services.`,
        'Lag = receive time at the client minus the time the worker stamped on the event: it includes the worker publish, JetStream, the streaming service, gRPC, the gateway and the client’s own parsing.',
        'upstream_feeds: gRPC subscriptions the gateway holds to the streaming service for all those clients (one per live task, shared).',
        'kb_per_connection: growth of the gateway’s resident memory divided by the clients, idle (connected, before the answers start) and at the peak while streaming.',
      ],
    };
  } finally {
    await stack.stop();
  }
}
