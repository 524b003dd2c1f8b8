import { startFloorChain } from '../lib/floor-chain.mjs';
import { measureAtEachConcurrency, measureCeiling } from './w4-ceiling.mjs';
import { measureOurSubmits, QUERY } from './w1-submit.mjs';

const BODY = JSON.stringify({ query: QUERY });
/** W1's target, as a share of the ceiling. */
const W1_TARGET_SHARE = 0.15;

const measureFloor = (durationSeconds) =>
  measureAtEachConcurrency(startFloorChain, 'floor: edge -> session hop -> task hop, one commit each', durationSeconds, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: BODY,
  });

/**
 * Floor: how fast a submit of this shape can be on this machine at all. The same three processes in
 * a row as ours, each hop committing one row, with nothing else; against our submit path (no
 * worker, as W5's durable variant) and the W4 ceiling, in one run. Whether W1's target is within
 * reach of the design, not only of the code, is the floor's share of the ceiling.
 */
export async function run({ durationSeconds }) {
  const floor = await measureFloor(durationSeconds);
  const ours = await measureOurSubmits(durationSeconds, { stackOptions: { withoutWorker: true }, system: 'ours: POST /api/v1/tasks, no worker' });
  const ceiling = await measureCeiling(durationSeconds);
  const at = (rows, connections) => rows.find((r) => r.connections === connections)?.accepted_per_s ?? 0;
  const floorShare = at(floor, 64) / Math.max(1, at(ceiling, 64));
  return {
    workload: 'floor',
    title: 'Floor: the fastest submit of this shape on this machine, against ours and the ceiling',
    columns: ['system', 'connections', 'accepted_per_s', 'p50_ms', 'p99_ms', 'errors', 'non2xx'],
    rows: [...floor, ...ours, ...ceiling],
    ratios: {
      'floor / ceiling at 64, %': floorShare * 100,
      'ours / floor at 64': at(ours, 64) / Math.max(1, at(floor, 64)),
      'ours / floor at 1': at(ours, 1) / Math.max(1, at(floor, 1)),
    },
    targets: [
      { name: "W1's 15 % of the ceiling is within the floor's reach", met: floorShare >= W1_TARGET_SHARE, detail: `the floor reaches ${(floorShare * 100).toFixed(1)} %` },
    ],
    notes: [
      'Floor: a bare Fastify route calls two bare grpc-js servers in turn (raw bytes, no protobuf), each committing one row to PostgreSQL on a pg pool; the second publishes a JetStream work message after its commit without holding the answer (as our relay does). No Nest, auth, rate limit, idempotency, validation, outbox, tracing or logs.',
      "Ours: the full submit path as in W1 (gateway with API key and Redis rate limit, session turn, task row + outbox, relay, JetStream) with no worker, so both sides only accept.",
      'The first two ratios are the share of the floor our code keeps; the target row says whether a 15 % share of the ceiling is reachable by any code on this shape of design (three processes and two commits in a row on two cores).',
    ],
  };
}
