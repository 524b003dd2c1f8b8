import { startCeiling } from '../lib/ceiling.mjs';
import { load } from '../lib/load.mjs';

export const CONCURRENCY = [1, 16, 64];

/**
 * A row per concurrency of `system` loaded with the same client: `start` brings the server up
 * (answering `{url, stop}`), `request` adds to `load`'s options (method, headers, body).
 */
export async function measureAtEachConcurrency(start, system, durationSeconds, request = {}) {
  const server = await start();
  try {
    const rows = [];
    for (const connections of CONCURRENCY) {
      rows.push({ system, ...(await load({ url: server.url, ...request, connections, durationSeconds })) });
    }
    return rows;
  } finally {
    await server.stop();
  }
}

/** W4: a bare Fastify hello-world JSON route with the same client: the ceiling W1 is a fraction of. */
export const measureCeiling = (durationSeconds) => measureAtEachConcurrency(startCeiling, 'fastify hello-world', durationSeconds);

export async function run({ durationSeconds }) {
  const rows = await measureCeiling(durationSeconds);
  return {
    workload: 'w4-ceiling',
    title: 'W4 ceiling: bare Fastify JSON route',
    columns: ['system', 'connections', 'accepted_per_s', 'p50_ms', 'p99_ms', 'errors', 'non2xx'],
    rows,
  };
}
