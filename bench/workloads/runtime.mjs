import { performance } from 'node:perf_hooks';
import { API_KEY, startOurStack } from '../lib/our-stack.mjs';
import { watchTaskEvents } from '../lib/task-events.mjs';

const THROUGHPUT_TASKS = Number(process.env.BENCH_TASKS ?? 300);
const LATENCY_TASKS_PER_CLIENT = Number(process.env.BENCH_LATENCY_PER_CLIENT ?? 10);
const DEADLINE_MS = 240_000;

async function withStack(extraWorkers, fn) {
  const stack = await startOurStack({}, { extraWorkers });
  const events = await watchTaskEvents(stack.namespace);
  const submit = async (query) => {
    const response = await fetch(`${stack.gatewayUrl}/api/v1/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: JSON.stringify({ query, mode: 'simple' }),
    });
    if (response.status !== 200) throw new Error(`submit answered ${response.status}: ${await response.text()}`);
    return (await response.json()).task_id;
  };
  try {
    await runOne(submit, events, 'What is the capital of France?'); // warm-up, lets extra workers join
    return await fn(submit, events);
  } finally {
    await events.close();
    await stack.stop();
  }
}

/** One task: milliseconds from submit to its first token and to WORKFLOW_COMPLETED, seen on the bus. */
function runOne(submit, events, query) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstToken;
    let taskId;
    const timer = setTimeout(() => reject(new Error('a task did not finish within 60 s')), 60_000);
    submit(query).then((id) => {
      taskId = id;
      events.watch(id, (event, at) => {
        if (event.type === 'LLM_PARTIAL' && firstToken === undefined) firstToken = at - started;
        if (event.type === 'WORKFLOW_COMPLETED' || event.type === 'WORKFLOW_FAILED') {
          clearTimeout(timer);
          events.unwatch(taskId);
          if (event.type === 'WORKFLOW_FAILED') reject(new Error(`task ${taskId} failed`));
          else resolve({ firstToken, completed: at - started });
        }
      });
    }, reject);
  });
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

async function throughput(workers) {
  return withStack(workers - 1, async (submit, events) => {
    const start = performance.now();
    let done = 0;
    let next = 0;
    const client = async () => {
      while (next < THROUGHPUT_TASKS && performance.now() - start < DEADLINE_MS) {
        next += 1;
        await runOne(submit, events, 'What is the capital of France?');
        done += 1;
      }
    };
    await Promise.all(Array.from({ length: 64 }, client));
    const seconds = (performance.now() - start) / 1000;
    return { measure: `throughput, ${workers} worker(s)`, tasks: done, tasks_per_s: done / seconds };
  });
}

async function latency(concurrency) {
  return withStack(0, async (submit, events) => {
    const samples = [];
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = 0; i < LATENCY_TASKS_PER_CLIENT; i += 1) samples.push(await runOne(submit, events, 'Write a 50 word essay about rivers'));
      }),
    );
    const first = samples.map((s) => s.firstToken);
    const completed = samples.map((s) => s.completed);
    return {
      measure: `latency, concurrency ${concurrency}`,
      tasks: samples.length,
      first_token_p50_ms: percentile(first, 50),
      first_token_p99_ms: percentile(first, 99),
      completion_p50_ms: percentile(completed, 50),
      completion_p99_ms: percentile(completed, 99),
    };
  });
}

/** Task runtime (issue 4): completed tasks per second with 1 and 2 workers; submit -> first token and -> completion. */
export async function run() {
  const rows = [await throughput(1), await throughput(2), await latency(1), await latency(16)];
  return {
    workload: 'runtime',
    title: 'Task runtime: throughput with the zero-delay mock, latency to first token and completion',
    columns: ['measure', 'tasks', 'tasks_per_s', 'first_token_p50_ms', 'first_token_p99_ms', 'completion_p50_ms', 'completion_p99_ms'],
    rows,
    ratios: { '2 workers / 1 worker': rows[1].tasks_per_s / rows[0].tasks_per_s },
    notes: [
      'Full stack from dist/ on loopback; submit = POST /api/v1/tasks (mode simple); events observed on a core NATS subscription; mock model with 0 ms delays; WORKER_CONCURRENCY=16; 64 closed-loop clients for throughput.',
    ],
  };
}
