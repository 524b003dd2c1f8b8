import { startCeiling } from '../lib/ceiling.mjs';
import { load } from '../lib/load.mjs';

export const CONCURRENCY = [1, 16, 64];

/** W4: a bare Fastify hello-world JSON route with the same client: the ceiling W1 is a fraction of. */
export async function measureCeiling(durationSeconds) {
  const server = await startCeiling();
  try {
    const rows = [];
    for (const connections of CONCURRENCY) {
      rows.push({ system: 'fastify hello-world', ...(await load({ url: server.url, connections, durationSeconds })) });
    }
    return rows;
  } finally {
    await server.stop();
  }
}

export async function run({ durationSeconds }) {
  const rows = await measureCeiling(durationSeconds);
  return {
    workload: 'w4-ceiling',
    title: 'W4 ceiling: bare Fastify JSON route',
    columns: ['system', 'connections', 'accepted_per_s', 'p50_ms', 'p99_ms', 'errors', 'non2xx'],
    rows,
  };
}
