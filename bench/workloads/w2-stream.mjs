import { percentile, sseClient } from '../lib/sse-clients.mjs';
import { API_KEY, startOurStack } from '../lib/our-stack.mjs';

const HEADERS = { 'x-api-key': API_KEY };
const COMPLETIONS = 20;

async function submit(url, body) {
  const response = await fetch(`${url}/api/v1/tasks`, { method: 'POST', headers: { ...HEADERS, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) {
    throw new Error(`submit answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()).task_id;
}

/** Events per second from the worker to one SSE client, with the mock model at full speed. */
async function throughput(url, words) {
  const taskId = await submit(url, { query: `Write a ${words} word essay about rivers`, context: { mock: { token_delay_ms: 0, start_delay_ms: 500 } } });
  const lags = [];
  let first = 0;
  let last = 0;
  let frames = 0;
  const client = sseClient(`${url}/api/v1/tasks/${taskId}/stream`, {
    headers: HEADERS,
    onFrame: (frame) => {
      first ||= frame.at;
      last = frame.at;
      frames += 1;
      if (frame.ms) {
        lags.push(frame.lag);
      }
    },
  });
  await client.ready;
  await client.ended;
  lags.sort((a, b) => a - b);
  const seconds = (last - first) / 1000;
  return { measure: `events/s worker -> SSE client (${words}-word answer, one client)`, events: frames, seconds: Number(seconds.toFixed(2)), events_per_s: Math.round(frames / seconds), p50_lag_ms: percentile(lags, 50), p99_lag_ms: percentile(lags, 99) };
}

/** Time from the task's completion (its completed_at, and its WORKFLOW_COMPLETED event) to `done` at a connected client. */
async function completionToDone(url) {
  const fromCompletedAt = [];
  const fromEvent = [];
  for (let i = 0; i < COMPLETIONS; i += 1) {
    const taskId = await submit(url, { query: 'What is the capital of France?', context: { mock: { start_delay_ms: 200 } } });
    let completedEventMs = 0;
    let doneAt = 0;
    const client = sseClient(`${url}/api/v1/tasks/${taskId}/stream`, {
      headers: HEADERS,
      onFrame: (frame) => {
        if (frame.event === 'WORKFLOW_COMPLETED') {
          completedEventMs = frame.ms;
        }
        if (frame.event === 'done') {
          doneAt = frame.at;
        }
      },
    });
    await client.ended;
    const status = await (await fetch(`${url}/api/v1/tasks/${taskId}`, { headers: HEADERS })).json();
    fromCompletedAt.push(doneAt - Date.parse(status.completed_at));
    fromEvent.push(doneAt - completedEventMs);
  }
  const sorted = (values) => [...values].sort((a, b) => a - b);
  return [
    { measure: `completion (completed_at) -> done at the client, ${COMPLETIONS} tasks`, p50_ms: percentile(sorted(fromCompletedAt), 50), p99_ms: percentile(sorted(fromCompletedAt), 99), max_ms: Math.max(...fromCompletedAt) },
    { measure: `WORKFLOW_COMPLETED emitted -> done at the client, ${COMPLETIONS} tasks`, p50_ms: percentile(sorted(fromEvent), 50), p99_ms: percentile(sorted(fromEvent), 99), max_ms: Math.max(...fromEvent) },
  ];
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
    const client = sseClient(`${url}/api/v1/tasks/${taskId}/stream`, {
      headers: HEADERS,
      onFrame: (frame) => {
        frames += 1;
        if (frames === 20) {
          streaming();
        }
        if (frame.event === 'done') {
          doneAt = frame.at;
        }
      },
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
  samples.sort((a, b) => a - b);
  return { measure: `POST cancel -> done at the client, ${COMPLETIONS} tasks streaming an answer`, p50_ms: percentile(samples, 50), p99_ms: percentile(samples, 99), max_ms: samples.at(-1) };
}

/** W2: how fast events reach an SSE client, and how soon after completion or cancel the stream says done. */
export async function run() {
  const stack = await startOurStack();
  try {
    await throughput(stack.gatewayUrl, 300); // warm-up
    const rows = [
      await throughput(stack.gatewayUrl, 10_000),
      await throughput(stack.gatewayUrl, 20_000),
      ...(await completionToDone(stack.gatewayUrl)),
      await cancelToDone(stack.gatewayUrl),
    ];
    return {
      workload: 'w2-stream',
      title: 'W2 streaming: events per second from the worker to an SSE client; completion and cancel to done',
      columns: ['measure', 'events', 'seconds', 'events_per_s', 'p50_lag_ms', 'p99_lag_ms', 'p50_ms', 'p99_ms', 'max_ms'],
      rows,
      notes: [
        'Path of every event: worker publish (JetStream ack awaited per event) -> EVENTS stream -> streaming service ordered consumer -> gRPC server stream -> gateway feed -> SSE.',
        'Lag = receive time at the client minus the time the worker stamped on the event (both on this machine).',
        'completed_at is written before the worker emits AGENT_COMPLETED, WORKFLOW_COMPLETED and STREAM_END, so the first row includes those three publishes.',
        'Cancel -> done: from sending POST /api/v1/tasks/{id}/cancel to receiving `done` (the worker aborts the model call, emits WORKFLOW_CANCELLING, WORKFLOW_CANCELLED, STREAM_END).',
      ],
    };
  } finally {
    await stack.stop();
  }
}
