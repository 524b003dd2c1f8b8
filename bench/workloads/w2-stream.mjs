import { setTimeout as delay } from 'node:timers/promises';
import { percentile, sseClient } from '../lib/sse-clients.mjs';
import { stackCpu } from '../lib/stack-cpu.mjs';
import { API_KEY, startOurStack } from '../lib/our-stack.mjs';
import { startPeer } from '../lib/peer.mjs';
import { createThreads, frameData, runBody, streamRun, tokenText } from '../lib/peer-runs.mjs';

const HEADERS = { 'x-api-key': API_KEY };
const QUERY = 'What is the capital of France?';
const CONCURRENCY = [1, 16];
/** Samples started in the first second warm both systems (JIT, pools, lazily loaded graph) and are dropped. */
const WARMUP_MS = 1_000;
/** A stream that has not ended by then counts as an error rather than hanging the run. */
const SAMPLE_TIMEOUT_MS = 30_000;
const COMPLETIONS = 20;
/** Frame names an incomplete run's log line shows at most. */
const MAX_FRAMES_KEPT = 40;
const TARGET_FIRST_TOKEN_P50_MS = 10;
const TARGET_FIRST_TOKEN_P99_MS = 50;
/** Runs measured for CPU per run, after a few that warm up (JIT, pools), then time for what they left to settle. */
const CPU_RUNS = 200;
const CPU_WARMUP_RUNS = 20;
const CPU_SETTLE_MS = 1_500;
/** An answer of about 220 word and punctuation tokens. */
const LONG_QUERY = 'Write a 200 word essay about rivers';

const sorted = (values) => [...values].sort((a, b) => a - b);

async function submit(url, body) {
  const response = await fetch(`${url}/api/v1/tasks`, { method: 'POST', headers: { ...HEADERS, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) {
    throw new Error(`submit answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()).task_id;
}

function followTask(url, taskId, onFrame) {
  const client = sseClient(`${url}/api/v1/tasks/${taskId}/stream`, { headers: HEADERS, onFrame });
  // Nobody waits for the `: connected` comment here; an error status shows as a stream without `done`.
  client.ready.catch(() => undefined);
  return client;
}

// --- Submit -> first event, first token, completion, both systems, same client -------------------

/**
 * How each system is driven and read. `openers(count)` prepares `count` client loops and returns,
 * per loop, a function that submits one run and returns the SSE client following it (for ours two
 * requests: the POST, then the stream as soon as it answers; for the peer one POST that is the stream).
 */
function ourSystem(url) {
  const body = { query: QUERY, context: { mock: { token_delay_ms: 0, start_delay_ms: 0 } } };
  return {
    name: 'ours',
    completion: '`done` frame',
    openers: async (count) => Array.from({ length: count }, () => async (onFrame) => followTask(url, await submit(url, body), onFrame)),
    isToken: (frame) => frame.event === 'thread.message.delta',
    // The gateway ends the stream right after `done`: completion is that frame.
    completed: (sample) => (sample.lastEvent === 'done' ? sample.lastFrame : undefined),
  };
}

function peerSystem(url, version) {
  const body = runBody(QUERY);
  return {
    name: `peer (${version})`,
    completion: 'end of response',
    // Its end comes ~500 ms after its last frame: the time to that frame is reported too.
    reportsLastFrame: true,
    // One thread per loop: a thread takes one run at a time, as a chat user's conversation does.
    openers: async (count) => (await createThreads(url, count)).map((threadId) => async (onFrame) => streamRun(url, threadId, body, { onFrame })),
    isToken: (frame) => tokenText(frame) !== '',
    // The peer has no end-of-run frame: a run is complete when its response ends without an error frame.
    completed: (sample) => (sample.lastEvent !== 'error' ? sample.closed : undefined),
  };
}

/** One run from submit to the end of its stream; every time in ms from just before the submit. */
async function timeOneRun(open, isToken) {
  const t0 = Date.now();
  const sample = { t0, firstEvent: undefined, firstToken: undefined, lastFrame: undefined, lastEvent: undefined, closed: undefined, frames: [], errorFrame: undefined };
  let client;
  try {
    client = await open((frame) => {
      const ms = frame.at - t0;
      sample.firstEvent ??= ms;
      // Only until the first token: reading a frame's data costs the client a JSON parse.
      if (sample.firstToken === undefined && isToken(frame)) {
        sample.firstToken = ms;
      }
      sample.lastFrame = ms;
      sample.lastEvent = frame.event;
      // What an incomplete run showed, for its log line: the frames' names, and any error frame.
      if (sample.frames.length < MAX_FRAMES_KEPT) {
        sample.frames.push(frame.event);
      }
      if (frame.event === 'error') {
        sample.errorFrame = frame.raw;
      }
    });
  } catch (error) {
    return { ...sample, error };
  }
  // An error status rejects `ready` (our gateway resolves it on `: connected`, the peer never does).
  let refused;
  client.ready.catch((error) => (refused = error));
  let timer;
  const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve(true), SAMPLE_TIMEOUT_MS)));
  if (await Promise.race([client.ended.then(() => false), timedOut])) {
    client.close();
    return { ...sample, error: new Error(`stream still open after ${SAMPLE_TIMEOUT_MS} ms`) };
  }
  clearTimeout(timer);
  return { ...sample, closed: Date.now() - t0, error: refused };
}

/** `concurrency` closed loops of runs for the warm-up then `durationSeconds`; samples started in the window. */
async function runLoops(system, concurrency, durationSeconds) {
  const opens = await system.openers(concurrency);
  const measureFrom = Date.now() + WARMUP_MS;
  const measureUntil = measureFrom + durationSeconds * 1000;
  const samples = [];
  await Promise.all(
    opens.map(async (open) => {
      while (Date.now() < measureUntil) {
        const sample = await timeOneRun(open, system.isToken);
        if (sample.t0 >= measureFrom) {
          samples.push(sample);
        }
      }
    }),
  );
  return samples;
}

function latencyRow(system, concurrency, measure, values, extra = {}) {
  const ordered = sorted(values);
  return { system: system.name, concurrency, measure, samples: ordered.length, p50_ms: percentile(ordered, 50), p99_ms: percentile(ordered, 99), max_ms: ordered.at(-1), ...extra };
}

/** Rows for one system at one concurrency: first event, first token, completion (and the peer's last frame). */
async function measureEndToEnd(system, concurrency, durationSeconds) {
  const samples = await runLoops(system, concurrency, durationSeconds);
  // A run counts only if it answered and ended as the system says a run ends.
  const isComplete = (sample) => !sample.error && sample.firstToken !== undefined && system.completed(sample) !== undefined;
  const completed = samples.filter(isComplete);
  const errors = samples.length - completed.length;
  for (const sample of samples.filter((s) => !isComplete(s)).slice(0, 3)) {
    console.error(`${system.name}: incomplete run, ${sample.error?.message ?? `frames ${sample.frames.join(' ')}`}${sample.errorFrame ? `; error frame: ${sample.errorFrame.slice(0, 500)}` : ''}`);
  }
  const rows = [
    latencyRow(system, concurrency, 'submit -> first event', completed.map((s) => s.firstEvent)),
    latencyRow(system, concurrency, 'submit -> first token', completed.map((s) => s.firstToken)),
    latencyRow(system, concurrency, `submit -> completion (${system.completion})`, completed.map(system.completed), {
      per_s: completed.length / durationSeconds,
      errors,
    }),
  ];
  if (system.reportsLastFrame) {
    rows.push(latencyRow(system, concurrency, 'submit -> last data frame', completed.map((s) => s.lastFrame)));
  }
  return rows;
}

// --- Delivery inside our stack (one client), kept from the first W2 -------------------------------

const deliveryRow = (measure, values) => latencyRow({ name: 'ours' }, 1, measure, values);

/** The text of a `thread.message.delta` frame. */
const deltaOf = (frame) => frameData(frame.raw).delta;
const wordCount = (text) => text.split(/\s+/).filter(Boolean).length;

/**
 * Words and events per second from the worker to one SSE client, with the mock model at full
 * speed (deltas that come while one awaits the bus go as one event, ADR 0051: the words are the
 * rate that matters).
 */
async function throughput(url, words) {
  const taskId = await submit(url, { query: `Write a ${words} word essay about rivers`, context: { mock: { token_delay_ms: 0, start_delay_ms: 500 } } });
  const lags = [];
  let first = 0;
  let last = 0;
  let frames = 0;
  let text = '';
  const client = followTask(url, taskId, (frame) => {
    first ||= frame.at;
    last = frame.at;
    frames += 1;
    if (frame.event === 'thread.message.delta') {
      text += deltaOf(frame);
    }
    if (frame.ms) {
      lags.push(frame.lag);
    }
  });
  await client.ended;
  const seconds = (last - first) / 1000;
  // samples = frames received, the percentiles are of the lag of the frames that carry a stream_id.
  return {
    ...deliveryRow(`worker -> SSE client, ${words}-word answer in ${frames} frames: per_s = words/s (${Math.round(frames / seconds)} frames/s), p50/p99 = lag`, lags),
    samples: frames,
    per_s: wordCount(text) / seconds,
  };
}

/**
 * CPU of the whole stack (every service, PostgreSQL, NATS and Redis) per run of one client that
 * submits and follows the stream to `done`, for a short answer and a long one at full speed.
 */
async function cpuPerRun(stack, query) {
  const body = { query, context: { mock: { token_delay_ms: 0, start_delay_ms: 0 } } };
  const once = async () => followTask(stack.gatewayUrl, await submit(stack.gatewayUrl, body), () => undefined).ended;
  for (let i = 0; i < CPU_WARMUP_RUNS; i += 1) {
    await once();
  }
  const cpu = await stackCpu(stack, async () => {
    for (let i = 0; i < CPU_RUNS; i += 1) {
      await once();
    }
    // What the runs left to do (the event log's batches, the session's turn) is theirs too.
    await delay(CPU_SETTLE_MS);
  });
  const perRun = (ms) => Math.round((ms / CPU_RUNS) * 10) / 10;
  const parts = Object.entries(cpu.byName)
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms]) => `${name} ${perRun(ms)}`)
    .join(', ');
  return { system: 'ours', concurrency: 1, measure: `stack CPU per run (submit, follow to done), "${query}": ${parts}`, samples: CPU_RUNS, cpu_ms_per_run: perRun(cpu.totalMs) };
}

/** Time from the task's completion (its completed_at, and its WORKFLOW_COMPLETED event) to `done` at a connected client. */
async function completionToDone(url) {
  const fromCompletedAt = [];
  const fromEvent = [];
  for (let i = 0; i < COMPLETIONS; i += 1) {
    // The answer starts 200 ms later, so the client is connected before the task completes.
    const taskId = await submit(url, { query: QUERY, context: { mock: { start_delay_ms: 200 } } });
    let completedEventMs = 0;
    let doneAt = 0;
    const client = followTask(url, taskId, (frame) => {
      if (frame.event === 'WORKFLOW_COMPLETED') {
        completedEventMs = frame.ms;
      }
      if (frame.event === 'done') {
        doneAt = frame.at;
      }
    });
    await client.ended;
    const status = await (await fetch(`${url}/api/v1/tasks/${taskId}`, { headers: HEADERS })).json();
    fromCompletedAt.push(doneAt - Date.parse(status.completed_at));
    fromEvent.push(doneAt - completedEventMs);
  }
  return [deliveryRow('completion (completed_at) -> `done` at a connected client', fromCompletedAt), deliveryRow('WORKFLOW_COMPLETED emitted -> `done` at a connected client', fromEvent)];
}

/** Time from POST /cancel (sent) to `done` at a client following a long answer. */
async function cancelToDone(url) {
  const samples = [];
  for (let i = 0; i < COMPLETIONS; i += 1) {
    const taskId = await submit(url, { query: 'Write a 5000 word essay about rivers', mode: 'simple', context: { mock: { token_delay_ms: 5 } } });
    let frames = 0;
    let doneAt = 0;
    let streaming;
    const started = new Promise((resolve) => (streaming = resolve));
    const client = followTask(url, taskId, (frame) => {
      frames += 1;
      if (frames === 20) {
        streaming();
      }
      if (frame.event === 'done') {
        doneAt = frame.at;
      }
    });
    await started;
    const cancelledAt = Date.now();
    const response = await fetch(`${url}/api/v1/tasks/${taskId}/cancel`, { method: 'POST', headers: { ...HEADERS, 'content-type': 'application/json' }, body: '{}' });
    if (response.status !== 202) {
      throw new Error(`cancel answered ${response.status}`);
    }
    await client.ended;
    samples.push(doneAt - cancelledAt);
  }
  return deliveryRow('POST cancel -> `done` at a client following an answer', samples);
}

/** Event delivery inside our stack, one client at a time: rate and lag, completion -> done, cancel -> done. */
export async function measureDelivery(stack) {
  const url = stack.gatewayUrl;
  return [await throughput(url, 10_000), ...(await completionToDone(url)), await cancelToDone(url)];
}

// --- The workload ---------------------------------------------------------------------------------

async function measureOurs(durationSeconds) {
  const stack = await startOurStack();
  try {
    const system = ourSystem(stack.gatewayUrl);
    const rows = [];
    for (const concurrency of CONCURRENCY) {
      rows.push(...(await measureEndToEnd(system, concurrency, durationSeconds)));
    }
    const delivery = await measureDelivery(stack);
    const short = await cpuPerRun(stack, QUERY);
    const gathered = await cpuPerRun(stack, LONG_QUERY);
    const alone = await cpuWithoutCoalescing();
    return {
      rows,
      delivery: [...delivery, short, gathered, alone],
      // What gathering deltas saves (ADR 0051): the long answer's stack CPU per run against every delta alone.
      cpuRatio: { 'stack CPU per run, 200-word answer, deltas gathered / each alone': gathered.cpu_ms_per_run / alone.cpu_ms_per_run },
    };
  } finally {
    await stack.stop();
  }
}

/** The long answer's CPU per run with every delta its own event (LLM_DELTA_MAX_CHARS=1), as before ADR 0051. */
async function cpuWithoutCoalescing() {
  const stack = await startOurStack({ LLM_DELTA_MAX_CHARS: '1' });
  try {
    const row = await cpuPerRun(stack, LONG_QUERY);
    return { ...row, measure: `${row.measure} (LLM_DELTA_MAX_CHARS=1: every delta its own event)` };
  } finally {
    await stack.stop();
  }
}

async function measurePeer(durationSeconds) {
  const peer = await startPeer();
  try {
    const system = peerSystem(peer.url, peer.version);
    const rows = [];
    for (const concurrency of CONCURRENCY) {
      rows.push(...(await measureEndToEnd(system, concurrency, durationSeconds)));
    }
    return rows;
  } finally {
    await peer.stop();
  }
}

const find = (rows, concurrency, measure) => rows.find((row) => row.concurrency === concurrency && row.measure.startsWith(measure));

/** ours / peer (times: below 1 is ours faster) per metric, percentile and concurrency, and ours' `done` against the peer's last frame. */
function ratios(ours, peer) {
  const result = {};
  for (const concurrency of CONCURRENCY) {
    for (const [label, measure] of [['first event', 'submit -> first event'], ['first token', 'submit -> first token'], ['completion', 'submit -> completion']]) {
      for (const p of ['p50', 'p99']) {
        result[`ours / peer, ${label} ${p} at ${concurrency}`] = find(ours, concurrency, measure)[`${p}_ms`] / Math.max(1, find(peer, concurrency, measure)[`${p}_ms`]);
      }
    }
    result[`ours done / peer last data frame, p50 at ${concurrency}`] = find(ours, concurrency, 'submit -> completion').p50_ms / Math.max(1, find(peer, concurrency, 'submit -> last data frame').p50_ms);
  }
  return result;
}

function targets(ours, peer) {
  return CONCURRENCY.flatMap((concurrency) => {
    const mine = find(ours, concurrency, 'submit -> first token');
    const theirs = find(peer, concurrency, 'submit -> first token');
    const detail = (p) => `${mine[`${p}_ms`]} ms (peer ${theirs[`${p}_ms`]} ms)`;
    return [
      { name: `W2 first token p50 < ${TARGET_FIRST_TOKEN_P50_MS} ms at concurrency ${concurrency}`, met: mine.samples > 0 && mine.p50_ms < TARGET_FIRST_TOKEN_P50_MS, detail: detail('p50') },
      { name: `W2 first token p99 < ${TARGET_FIRST_TOKEN_P99_MS} ms at concurrency ${concurrency}`, met: mine.samples > 0 && mine.p99_ms < TARGET_FIRST_TOKEN_P99_MS, detail: detail('p99') },
    ];
  });
}

/**
 * W2 end to end: submit then follow the SSE stream to its end with a zero-delay model, at
 * concurrency 1 and 16, ours against the peer with the same client; plus delivery inside our stack.
 */
export async function run({ durationSeconds }) {
  const ours = await measureOurs(durationSeconds);
  const peer = await measurePeer(durationSeconds);
  return {
    workload: 'w2-stream',
    title: 'W2 end to end: submit -> first event, first token and completion over SSE, zero-delay model',
    columns: ['system', 'concurrency', 'measure', 'samples', 'p50_ms', 'p99_ms', 'max_ms', 'per_s', 'errors', 'cpu_ms_per_run'],
    rows: [...ours.rows, ...peer, ...ours.delivery],
    ratios: { ...ratios(ours.rows, peer), ...ours.cpuRatio },
    targets: targets(ours.rows, peer),
    notes: [
      `Closed loops: at concurrency C, C clients each submit, follow the stream to its end, and submit again, for ${WARMUP_MS / 1000} s of warm-up (dropped) then ${durationSeconds} s; per_s = completed runs per second. Times are from just before the submit to the frame's arrival at the client (same SSE client, sse-clients.mjs, for both systems; a new connection per stream).`,
      'Ours: POST /api/v1/tasks (zero-delay mock model, "The capital of France is Paris." in word tokens), then GET /api/v1/tasks/{id}/stream as soon as the POST answers. First event = first SSE frame after the `: connected` comment (a lifecycle event); first token = first `thread.message.delta`; completion = the `done` frame, after which the gateway closes the stream.',
      'Peer: one thread per client loop, POST /threads/{id}/runs/stream with stream_mode messages-tuple (the mode that carries tokens), graph bench/peer: one node over FakeListChatModel (sleep 0), which streams the same answer one character per frame. First event = `metadata`; first token = first `messages` frame with content; completion = end of the response.',
      'The peer ends a run\'s response about 500 ms after its last frame: its join loop waits on the run\'s queue with a 500 ms timeout and only then sees the run is done. That delay is in its completion and caps one client loop at about 2 runs/s (hence few peer samples at concurrency 1: p99 is then close to the max); "submit -> last data frame" is the run without it. Its idle queue workers also poll with a random sleep of up to 1 s (default settings), which shows in its first event.',
      'Ours: every event goes worker publish (JetStream ack awaited) -> EVENTS stream -> streaming service ordered consumer -> gRPC server stream -> gateway feed -> SSE. Ours and the peer run one after the other, never at the same time; whatever else runs on the machine shows in the load average above.',
      `Delivery rows (ours only, one client): worker -> client with a 10,000-word answer at full speed, per_s = words/s (deltas that come while one awaits the bus go as one event, ADR 0051, so frames/s says less), lag = receive time minus the time the worker stamped on the event. completed_at is written before the worker emits AGENT_COMPLETED, WORKFLOW_COMPLETED and STREAM_END, so that row includes those three publishes. Cancel -> done: from sending POST /api/v1/tasks/{id}/cancel to receiving \`done\`. Stack CPU per run: ${CPU_RUNS} runs one after the other (after ${CPU_WARMUP_RUNS} dropped), CPU of every service and of PostgreSQL, NATS and Redis from /proc (10 ms resolution per process), divided by the runs, then ms per process.`,
    ],
  };
}
