import { execSync } from 'node:child_process';
import { cpuMs, openClientsSettled, percentile, residentBytes, sseClient } from '../lib/sse-clients.mjs';
import { API_KEY, startOurStack } from '../lib/our-stack.mjs';
import { startPeer } from '../lib/peer.mjs';
import { JOIN_HEADERS, startLongRun } from '../lib/peer-join.mjs';

const HEADERS = { 'x-api-key': API_KEY };
const CLIENTS = (process.env.BENCH_FANOUT_CLIENTS ?? '100,1000,5000').split(',').map(Number);
/** The pace of the one long answer, the same on both systems: about 5 events per second. */
const TOKEN_DELAY_MS = 200;
/** A fixed start delay for every row instead of the adaptive one (see startDelayFor). */
const FIXED_START_DELAY_MS = process.env.BENCH_FANOUT_START_DELAY_MS ? Number(process.env.BENCH_FANOUT_START_DELAY_MS) : undefined;
/** Connected and idle for this long before the idle RSS is read (lets the server settle). */
const IDLE_SETTLE_MS = 2_000;
/** The window starts this long after the first token, past the start of the answer. */
const ANSWER_SETTLE_MS = 1_000;
/** After the window, the last clients still get the window's last events (their spread). */
const TAIL_MS = 1_000;
/** Connection time per client assumed before a system's first row has measured it. */
const INITIAL_MS_PER_CLIENT = 5;
/** Tokens one client reads from a short stream on a fresh server before the baseline RSS. */
const WARM_UP_TOKENS = 5;
/** How long to wait for the first token past the start delay before giving the row up. */
const ANSWER_TIMEOUT_MS = 60_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function openFileLimit() {
  try {
    return Number(execSync('ulimit -n', { shell: '/bin/bash' }).toString().trim());
  } catch {
    return 0;
  }
}

/** Our long task: a 600-word essay, one token per TOKEN_DELAY_MS, after `startDelayMs`. */
async function ourLongTask(url, startDelayMs) {
  const response = await fetch(`${url}/api/v1/tasks`, {
    method: 'POST',
    headers: { ...HEADERS, 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'Write a 600 word essay about rivers', context: { mock: { token_delay_ms: TOKEN_DELAY_MS, start_delay_ms: startDelayMs } } }),
  });
  if (!response.ok) {
    throw new Error(`submit answered ${response.status}: ${await response.text()}`);
  }
  const { task_id: taskId } = await response.json();
  return {
    streamUrl: `${url}/api/v1/tasks/${taskId}/stream`,
    async cancel() {
      await fetch(`${url}/api/v1/tasks/${taskId}/cancel`, { method: 'POST', headers: { ...HEADERS, 'content-type': 'application/json' }, body: '{}' }).catch(() => undefined);
    },
  };
}

/**
 * The two systems, each as: start a fresh server, the pid whose memory and CPU count, a long
 * stream to watch, how a client joins it, and which frames are the answer's tokens.
 */
const SYSTEMS = [
  {
    name: 'ours: GET /api/v1/tasks/{id}/stream',
    async start() {
      const stack = await startOurStack({ STREAM_CATCHUP_CONCURRENCY: '256' });
      return {
        pid: stack.children.find(({ service }) => service.name === 'gateway').child.pid,
        longStream: (startDelayMs) => ourLongTask(stack.gatewayUrl, startDelayMs),
        clientOptions: { headers: HEADERS },
        isToken: (frame) => frame.event === 'thread.message.delta',
        stop: () => stack.stop(),
      };
    },
  },
  {
    name: 'peer: GET /threads/{id}/runs/{run_id}/stream',
    async start() {
      const peer = await startPeer();
      return {
        pid: peer.serverPid,
        longStream: (startDelayMs) => startLongRun(peer.url, { tokenDelayMs: TOKEN_DELAY_MS, startDelayMs }),
        clientOptions: { headers: JOIN_HEADERS, readyOnHeaders: true },
        isToken: (frame) => frame.event === 'messages',
        stop: () => peer.stop(),
      };
    },
  },
];

/** Our mock model refuses a longer start delay. */
const MAX_START_DELAY_MS = 60_000;

/**
 * The answer must start after every client has joined, so that the window sees one live stream
 * and no replay. The start delay is therefore sized from the connection time per client that the
 * system's previous (smaller) row measured, twice over, plus the idle settle and slack, up to
 * MAX_START_DELAY_MS; joined_before_answer in the row says whether it was enough.
 */
function startDelayFor(clients, msPerClient) {
  return FIXED_START_DELAY_MS ?? Math.min(MAX_START_DELAY_MS, Math.round(IDLE_SETTLE_MS + 3_000 + clients * msPerClient * 2));
}

/**
 * Collects what every client receives. An event is identified by its SSE `id`, the same at every
 * client on both systems (ours: the task's event seq; the peer: the index in the run's event log);
 * its spread is the last client's receive time minus the first's.
 */
function fanoutRecorder(isToken) {
  let markFirstToken;
  const firstToken = new Promise((resolve) => (markFirstToken = resolve));
  let firstTokenAt = 0;
  let window = { start: Infinity, end: Infinity };
  let frames = 0;
  const lags = [];
  /** id -> {first, last, receivers} for every event; the window's are those first seen in it. */
  const events = new Map();
  const inWindow = (at) => at >= window.start && at < window.end;
  function onFrame(frame) {
    if (!firstTokenAt && isToken(frame)) {
      firstTokenAt = frame.at;
      markFirstToken(frame.at);
    }
    if (inWindow(frame.at)) {
      frames += 1;
      if (frame.ms) {
        lags.push(frame.lag);
      }
    }
    const seen = events.get(frame.id);
    if (seen) {
      seen.last = frame.at;
      seen.receivers += 1;
    } else {
      events.set(frame.id, { first: frame.at, last: frame.at, receivers: 1 });
    }
  }
  return {
    onFrame,
    firstToken,
    openWindow: (start, end) => (window = { start, end }),
    summary(connected, seconds) {
      const windowEvents = [...events.values()].filter((e) => inWindow(e.first));
      const spreads = windowEvents.map((e) => e.last - e.first).sort((a, b) => a - b);
      const missed = windowEvents.reduce((sum, e) => sum + Math.max(0, connected - e.receivers), 0);
      lags.sort((a, b) => a - b);
      return {
        events_per_s: Math.round(frames / seconds),
        stream_events_per_s: Number((windowEvents.length / seconds).toFixed(1)),
        missed_deliveries: missed,
        p50_spread_ms: percentile(spreads, 50),
        p99_spread_ms: percentile(spreads, 99),
        max_spread_ms: spreads.at(-1) ?? 0,
        p99_lag_ms: lags.length ? percentile(lags, 99) : null,
      };
    },
  };
}

/** Samples the peak resident memory of `pid` every 250 ms until stopped. */
function peakSampler(pid, initial) {
  let peak = initial;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, residentBytes(pid));
    } catch {
      // the process is gone; the row says so through its clients
    }
  }, 250);
  return () => (clearInterval(timer), peak);
}

/**
 * One client reads a few tokens of a stream on the fresh server, so that what the first stream
 * costs once (code loaded and compiled on first use, upstream subscriptions, buffers) is in the
 * baseline and not counted per client.
 */
async function warmUp(server) {
  const stream = await server.longStream(0);
  let tokens = 0;
  let markDone;
  const done = new Promise((resolve) => (markDone = resolve));
  const client = sseClient(stream.streamUrl, { ...server.clientOptions, onFrame: (frame) => server.isToken(frame) && ++tokens >= WARM_UP_TOKENS && markDone() });
  try {
    await Promise.race([done, client.ended, sleep(ANSWER_TIMEOUT_MS)]);
  } finally {
    client.close();
    await client.ended;
    await stream.cancel();
  }
}

const kbPerClient = (grown, clients) => (clients ? Number((grown / clients / 1024).toFixed(1)) : null);

/** One row: `clients` SSE clients join one long stream, then a window of `durationSeconds`. */
async function watchOneStream(server, clients, durationSeconds, msPerClient) {
  await warmUp(server);
  const rssBefore = residentBytes(server.pid);
  const startDelayMs = startDelayFor(clients, msPerClient);
  const stream = await server.longStream(startDelayMs);
  const recorder = fanoutRecorder(server.isToken);
  const connectStarted = Date.now();
  const { clients: pool, errors, firstError } = await openClientsSettled(clients, () => stream.streamUrl, () => ({ ...server.clientOptions, onFrame: recorder.onFrame }));
  const connectedAt = Date.now();
  let closing = false;
  let dropped = 0;
  pool.forEach((client) => client.ended.then(() => (dropped += closing ? 0 : 1)));
  const row = {
    clients,
    connected: pool.length,
    errors,
    start_delay_s: Number((startDelayMs / 1000).toFixed(1)),
    connect_s: Number(((connectedAt - connectStarted) / 1000).toFixed(1)),
    problem: firstError ? String(firstError.message ?? firstError).slice(0, 120) : '',
  };
  try {
    const cpuIdleStart = cpuMs(server.pid);
    await sleep(IDLE_SETTLE_MS);
    const cpuIdleShare = (cpuMs(server.pid) - cpuIdleStart) / IDLE_SETTLE_MS;
    const rssIdle = residentBytes(server.pid);
    const firstTokenAt = await Promise.race([recorder.firstToken, sleep(startDelayMs + ANSWER_TIMEOUT_MS).then(() => 0)]);
    if (!firstTokenAt) {
      return { ...row, problem: row.problem || 'no token reached any client' };
    }
    const start = Math.max(Date.now(), firstTokenAt + ANSWER_SETTLE_MS);
    recorder.openWindow(start, start + durationSeconds * 1000);
    await sleep(start - Date.now());
    const cpuStart = cpuMs(server.pid);
    const stopSampler = peakSampler(server.pid, rssIdle);
    await sleep(durationSeconds * 1000);
    const cpuShare = (cpuMs(server.pid) - cpuStart) / (durationSeconds * 1000);
    const rssPeak = stopSampler();
    await sleep(TAIL_MS);
    return {
      ...row,
      joined_before_answer: connectedAt <= firstTokenAt,
      ...recorder.summary(pool.length, durationSeconds),
      dropped,
      server_rss_mb: Number((rssPeak / 2 ** 20).toFixed(1)),
      kb_per_client_idle: kbPerClient(rssIdle - rssBefore, pool.length),
      kb_per_client_streaming: kbPerClient(rssPeak - rssBefore, pool.length),
      cpu_share_idle: Number(cpuIdleShare.toFixed(2)),
      cpu_share: Number(cpuShare.toFixed(2)),
    };
  } finally {
    closing = true;
    pool.forEach((client) => client.close());
    await Promise.all(pool.map((client) => client.ended));
    await stream.cancel();
  }
}

/**
 * Every row on a freshly started server: memory a server keeps after the previous row's clients
 * have gone would otherwise be counted as the baseline and hide part of the next row's growth.
 * A row that fails (the server does not start, or does not stream) is recorded, not thrown.
 */
async function measureSystem(system, durationSeconds) {
  const rows = [];
  let msPerClient = INITIAL_MS_PER_CLIENT;
  for (const clients of CLIENTS) {
    console.log(`${system.name}: ${clients} clients`);
    let server;
    try {
      server = await system.start();
      const row = await watchOneStream(server, clients, durationSeconds, msPerClient);
      if (row.connected > 0) {
        msPerClient = Math.max(msPerClient, (row.connect_s * 1000) / row.connected);
      }
      rows.push({ system: system.name, ...row });
    } catch (error) {
      rows.push({ system: system.name, clients, problem: String(error.message ?? error).slice(0, 120) });
    } finally {
      await server?.stop();
    }
  }
  return rows;
}

/** Ours against the peer at each client count: delivered events/s, p99 spread, memory per client. */
function ratios(ours, peer) {
  const result = {};
  for (const clients of CLIENTS) {
    const a = ours.find((r) => r.clients === clients);
    const b = peer.find((r) => r.clients === clients);
    if (a?.events_per_s && b?.events_per_s) {
      result[`events/s ours / peer at ${clients}`] = a.events_per_s / b.events_per_s;
    }
    if (a?.p99_spread_ms != null && b?.p99_spread_ms) {
      result[`p99 spread ours / peer at ${clients}`] = a.p99_spread_ms / b.p99_spread_ms;
    }
    if (a?.kb_per_client_streaming && b?.kb_per_client_streaming > 0) {
      result[`KB per client ours / peer at ${clients}`] = a.kb_per_client_streaming / b.kb_per_client_streaming;
    }
  }
  return result;
}

/** The targets, on our row with the most clients (5,000 unless BENCH_FANOUT_CLIENTS says otherwise). */
function targets(ours) {
  const row = ours.find((r) => r.clients === Math.max(...CLIENTS));
  const ok = row?.connected === row?.clients && row?.p99_spread_ms != null;
  return [
    { name: `W3 ${row?.clients} clients: p99 lag first -> last client < 250 ms`, met: ok && row.p99_spread_ms < 250, detail: ok ? `${row.p99_spread_ms} ms` : `no measurement: ${row?.problem}` },
    { name: `W3 ${row?.clients} clients: gateway memory < 20 KB per client`, met: ok && row.kb_per_client_streaming < 20, detail: ok ? `${row.kb_per_client_streaming} KB streaming, ${row.kb_per_client_idle} KB idle` : `no measurement: ${row?.problem}` },
  ];
}

/** W3: one long streamed task (ours) or run (the peer) watched by 100, 1,000 and 5,000 SSE clients. */
export async function run({ durationSeconds }) {
  const limit = openFileLimit();
  const needed = Math.max(...CLIENTS) + 1_000;
  if (limit && limit < needed) {
    // Node raises its soft limit to the hard one at start, so this is the hard limit.
    throw new Error(`W3 needs about ${needed} open files in this process (ulimit -n is ${limit}): raise it with ulimit -n ${needed}`);
  }
  const [ours, peer] = [await measureSystem(SYSTEMS[0], durationSeconds), await measureSystem(SYSTEMS[1], durationSeconds)];
  return {
    workload: 'w3-fanout',
    title: 'W3 fan-out: one long streamed answer watched by many SSE clients',
    columns: ['system', 'clients', 'connected', 'errors', 'dropped', 'start_delay_s', 'connect_s', 'joined_before_answer', 'stream_events_per_s', 'events_per_s', 'missed_deliveries', 'p50_spread_ms', 'p99_spread_ms', 'max_spread_ms', 'p99_lag_ms', 'server_rss_mb', 'kb_per_client_idle', 'kb_per_client_streaming', 'cpu_share_idle', 'cpu_share', 'problem'],
    rows: [...ours, ...peer],
    ratios: ratios(ours, peer),
    targets: targets(ours),
    notes: [
      `One answer per row, streamed at one token every ${TOKEN_DELAY_MS} ms on both systems (ours: the mock model's essay, a word a token; the peer: a FakeListChatModel essay in bench/peer/src/essay.mts, a character a token, \`messages-tuple\` stream mode), watched by every client of the row. Each row runs on a freshly started server.`,
      'Peer clients join the background run with `Last-Event-ID: -1` on a run created with `stream_resumable: true`, as its SDK does; without that, its per-run queue hands each event to only one of the joined clients.',
      `The answer starts after a start delay sized from the connection time per client of the system's previous row (x2, plus ${IDLE_SETTLE_MS / 1000} s idle and 3 s slack, at most ${MAX_START_DELAY_MS / 1000} s, our mock's limit; BENCH_FANOUT_START_DELAY_MS fixes it), so all clients join first (joined_before_answer). The window opens ${ANSWER_SETTLE_MS / 1000} s after the first token.`,
      'events_per_s: frames received by all clients together per second in the window; stream_events_per_s: distinct events the stream delivered per second (the pace asked of both is 5; below it, the server could not keep it).',
      'spread: for each event (its SSE id, the same at every client), the last client’s receive time minus the first’s (a window holds only about 5 events a second, so with BENCH_SECONDS=5 p99 is the maximum); missed_deliveries: window events some connected client never got. The load client runs in the bench process on the same 2 cores as the server, so its own parsing of N copies of each event is part of the spread.',
      'p99_lag_ms (ours only): receive time minus the time the worker stamped on the event, through JetStream, the streaming service, gRPC and the gateway.',
      'server_rss / kb_per_client: resident memory of the gateway process (ours) or of the `langgraphjs dev` server process (the peer), growth over the fresh server divided by the connected clients, idle (connected, before the answer) and at the peak while streaming; cpu_share: that process’s CPU time over the window (1.0 = one core), cpu_share_idle: over the 2 s between the last client connecting and the idle RSS reading.',
    ],
  };
}
