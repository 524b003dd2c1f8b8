import { load } from '../lib/load.mjs';
import { API_KEY, startOurStack } from '../lib/our-stack.mjs';
import { createThreads, startPeer } from '../lib/peer.mjs';
import { CONCURRENCY, measureCeiling } from './w4-ceiling.mjs';

export const QUERY = 'What is the capital of France?';

/**
 * Submits at each concurrency against one stack of ours (env and stack options let W5 start its
 * variants); one row per concurrency, named `system`.
 */
export async function measureOurSubmits(durationSeconds, { concurrency = CONCURRENCY, env = {}, stackOptions = {}, system = 'ours: POST /api/v1/tasks' } = {}) {
  const stack = await startOurStack(env, stackOptions);
  try {
    const rows = [];
    for (const connections of concurrency) {
      const finishedBefore = await stack.finishedTasks();
      const startedAt = Date.now();
      const result = await load({
        url: `${stack.gatewayUrl}/api/v1/tasks`,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
        body: JSON.stringify({ query: QUERY }),
        connections,
        durationSeconds,
      });
      // The worker shares the two cores with the submits: what it finished meanwhile is the other half of the work.
      const finishedPerS = ((await stack.finishedTasks()) - finishedBefore) / ((Date.now() - startedAt) / 1000);
      rows.push({ system, ...result, finished_per_s: Math.round(finishedPerS) });
    }
    return rows;
  } finally {
    await stack.stop();
  }
}

async function measurePeer(durationSeconds) {
  const peer = await startPeer();
  try {
    const threads = await createThreads(peer.url, Math.max(...CONCURRENCY));
    let next = 0;
    const rows = [];
    for (const connections of CONCURRENCY) {
      const result = await load({
        url: `${peer.url}/threads/${threads[0]}/runs`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        connections,
        durationSeconds,
        // Background runs spread over threads; enqueue so a busy thread queues instead of 422.
        setupRequest: (request) => ({
          ...request,
          path: `/threads/${threads[next++ % threads.length]}/runs`,
          body: JSON.stringify({ assistant_id: 'agent', input: { messages: [{ role: 'user', content: QUERY }] }, multitask_strategy: 'enqueue' }),
        }),
      });
      rows.push({ system: `peer (${peer.version}): POST /threads/{id}/runs`, ...result });
    }
    return rows;
  } finally {
    await peer.stop();
  }
}

/** W1: task submissions at concurrency 1, 16, 64 for a fixed time, ours against the peer and the ceiling. */
export async function run({ durationSeconds }) {
  const ours = await measureOurSubmits(durationSeconds);
  const peer = await measurePeer(durationSeconds);
  const ceiling = await measureCeiling(durationSeconds);
  const at64 = (rows) => rows.find((r) => r.connections === 64)?.accepted_per_s ?? 0;
  const ofCeiling = at64(ours) / at64(ceiling);
  const overPeer = at64(ours) / Math.max(1, at64(peer));
  return {
    workload: 'w1-submit',
    title: 'W1 submit: accepted task submissions per second',
    columns: ['system', 'connections', 'accepted_per_s', 'finished_per_s', 'p50_ms', 'p99_ms', 'errors', 'non2xx'],
    rows: [...ours, ...peer, ...ceiling],
    ratios: { 'ours / ceiling at 64, %': ofCeiling * 100, 'ours / peer at 64': overPeer },
    targets: [
      { name: 'W1 at 64 >= 15 % of the W4 ceiling', met: ofCeiling >= 0.15, detail: `${(ofCeiling * 100).toFixed(1)} %` },
      { name: 'W1 at 64 >= 10x the peer', met: overPeer >= 10, detail: `${overPeer.toFixed(1)}x` },
    ],
    notes: [
      'Ours: gateway (API key cached, rate limit in Redis) -> session service (new session + first turn, one statement) -> task service (task row + outbox message, one statement) -> relay -> JetStream; a worker runs the submitted tasks at the same time on the same 2 cores (W5 shows what that costs). finished_per_s (ours only): tasks the worker finished during the row, the share of the two cores that went to running tasks rather than accepting them.',
      'Peer: LangGraph.js Agent Server in-memory dev mode with default settings; its idle queue workers poll with a random sleep of up to 1 s and it delays stream close by 500 ms (neither affects accepting a background run).',
    ],
  };
}
