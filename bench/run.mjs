// `npm run bench [-- w1 w4 ...]`: runs the workloads in turn, each bounded in time, on loopback
// only, and writes bench/results/<date>-<workload>.{json,md}.
import { writeReport } from './lib/report.mjs';

const WORKLOADS = {
  w4: () => import('./workloads/w4-ceiling.mjs'),
  w1: () => import('./workloads/w1-submit.mjs'),
  w2: () => import('./workloads/w2-stream.mjs'),
  w3: () => import('./workloads/w3-fanout.mjs'),
  w5: () => import('./workloads/w5-durability.mjs'),
  edge: () => import('./workloads/edge.mjs'),
  runtime: () => import('./workloads/runtime.mjs'),
  floor: () => import('./workloads/floor.mjs'),
};

const requested = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const durationSeconds = Number(process.env.BENCH_SECONDS ?? 10);
const names = requested.length > 0 ? requested : Object.keys(WORKLOADS);
for (const name of names) {
  if (!WORKLOADS[name]) {
    console.error(`Unknown workload ${name}; known: ${Object.keys(WORKLOADS).join(', ')}`);
    process.exit(2);
  }
}
for (const name of names) {
  const workload = await WORKLOADS[name]();
  console.log(`\n== ${name}`);
  writeReport(await workload.run({ durationSeconds }));
}
process.exit(0);
