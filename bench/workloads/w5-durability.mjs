import { measureOurSubmits } from './w1-submit.mjs';

/** The concurrency W1's targets are stated at. */
const CONNECTIONS = [64];

/**
 * W5: what durable dispatch costs. W1's submit at 64 connections against three stacks of ours:
 * as shipped (task row + outbox message in one transaction, the relay publishing to the JetStream
 * work queue, a worker running the tasks), the same with no worker (durability without the work
 * it feeds), and TASK_DISPATCH=row-only (the task row alone; nothing is published or run).
 */
export async function run({ durationSeconds }) {
  const variant = (system, env, stackOptions) => measureOurSubmits(durationSeconds, { concurrency: CONNECTIONS, env, stackOptions, system });
  const shipped = await variant('ours as shipped: row + outbox + work queue, worker running', {}, {});
  const durableOnly = await variant('row + outbox + work queue, no worker', {}, { withoutWorker: true });
  const rowOnly = await variant('row only (TASK_DISPATCH=row-only), no worker', { TASK_DISPATCH: 'row-only' }, { withoutWorker: true });
  const rate = (rows) => rows[0]?.accepted_per_s ?? 0;
  const share = (rows) => rate(rows) / Math.max(1, rate(rowOnly));
  return {
    workload: 'w5-durability',
    title: 'W5 durability cost: submits per second with and without the outbox and work queue',
    columns: ['system', 'connections', 'accepted_per_s', 'finished_per_s', 'p50_ms', 'p99_ms', 'errors', 'non2xx'],
    rows: [...shipped, ...durableOnly, ...rowOnly],
    ratios: {
      'durable (no worker) / row only': share(durableOnly),
      'as shipped / row only': share(shipped),
    },
    notes: [
      'Every variant goes through the same gateway, auth, session turn and task service; only what the task service does after validating differs.',
      'durable / row only is the price of the outbox row, its relay and the JetStream publish alone; as shipped / row only adds the worker running each task on the same 2 cores.',
      'TASK_DISPATCH=row-only exists for this measurement only: its tasks never run, and the task service refuses it outside dev and test.',
    ],
  };
}
