import { randomUUID } from 'node:crypto';
import { load } from '../lib/load.mjs';
import { API_KEY, startOurStack } from '../lib/our-stack.mjs';

const CONNECTIONS = 16;
const ROUNDS = 3;
const WARMUP_SECONDS = 3;
const TARGET_COST = 0.15;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * The cost of the edge: submits through a gateway with everything on (API key, Redis token
 * bucket, a durable Idempotency-Key on every submit) against a second gateway in front of the same
 * services with auth skipped and limits off. No worker runs, so only the submit path is measured;
 * rounds alternate so drift on a shared machine hits both alike.
 */
export async function run({ durationSeconds }) {
  const stack = await startOurStack({}, { withoutWorker: true });
  try {
    const edgeUrl = await stack.startGateway({ GATEWAY_SKIP_AUTH: '0', RATE_LIMIT_ENABLED: '1' });
    const bareUrl = await stack.startGateway({ GATEWAY_SKIP_AUTH: '1', RATE_LIMIT_ENABLED: '0' });
    const withKey = (request) => ({ ...request, headers: { ...request.headers, 'idempotency-key': randomUUID() } });
    const configs = {
      edge: {
        url: edgeUrl,
        headers: { 'x-api-key': API_KEY },
        // Every submit a new key, so each one claims a key in the task service's transaction.
        setupRequest: withKey,
      },
      // The same gateway without the key: what auth and limits cost apart from idempotency.
      'edge, no key': { url: edgeUrl, headers: { 'x-api-key': API_KEY } },
      bare: { url: bareUrl, headers: {} },
    };
    const submit = ({ url, headers, setupRequest }, seconds) =>
      load({
        url: `${url}/api/v1/tasks`,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: 'What is the capital of France?' }),
        connections: CONNECTIONS,
        durationSeconds: seconds,
        setupRequest,
      });
    for (const config of Object.values(configs)) {
      await submit(config, WARMUP_SECONDS);
    }
    const rows = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const names = Object.keys(configs);
      for (const name of round % 2 === 1 ? names : names.reverse()) {
        rows.push({ system: name, round, ...(await submit(configs[name], durationSeconds)) });
      }
    }
    const rate = (name) => median(rows.filter((row) => row.system === name).map((row) => row.accepted_per_s));
    const cost = 1 - rate('edge') / rate('bare');
    return {
      workload: 'edge',
      title: 'Edge cost: submits per second with auth, rate limits and Idempotency-Key against none',
      columns: ['system', 'round', 'connections', 'accepted_per_s', 'p50_ms', 'p99_ms', 'errors', 'non2xx'],
      rows,
      ratios: { 'edge / bare (medians)': rate('edge') / rate('bare'), 'edge without key / bare (medians)': rate('edge, no key') / rate('bare') },
      targets: [{ name: 'edge cost under 15 % of submit throughput', met: cost < TARGET_COST, detail: `${(cost * 100).toFixed(1)} %` }],
      notes: [
        'edge: API key (cached), Redis token bucket, a new durable Idempotency-Key on every submit. edge, no key: the same gateway without the key. bare: GATEWAY_SKIP_AUTH=1, RATE_LIMIT_ENABLED=0, no key.',
        'A submit with an Idempotency-Key and no session_id names a session derived from the key, so the session service takes the path for a named session (lookup, create, locked turn reservation), and the task service claims the key in a transaction; a submit without either is one statement in each service.',
        `Two gateway processes in front of the same services, no worker (submit path only), ${CONNECTIONS} connections, ${ROUNDS} alternating rounds each after a ${WARMUP_SECONDS} s warm-up.`,
      ],
    };
  } finally {
    await stack.stop();
  }
}
