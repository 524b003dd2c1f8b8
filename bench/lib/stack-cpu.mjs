import { readFileSync } from 'node:fs';
import { processIds } from './process-chain.mjs';
import { cpuMs } from './sse-clients.mjs';

/** Servers the stack uses that are not its children: every process of theirs counts. */
const SERVERS = [
  ['postgres', (cmdline) => cmdline.startsWith('postgres')],
  ['nats', (cmdline) => cmdline.includes('nats-server')],
  ['redis', (cmdline) => cmdline.includes('redis-server')],
];

/** CPU ms per process id of the stack's services (`stack.children`) and of PostgreSQL, NATS and Redis. */
function snapshot(stack) {
  const pids = new Map(stack.children.map(({ service, child }) => [child.pid, service.name]));
  for (const pid of processIds()) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const server = SERVERS.find(([, matches]) => matches(cmdline));
      if (server) {
        pids.set(pid, server[0]);
      }
    } catch {
      // The process ended while it was listed.
    }
  }
  const times = new Map();
  for (const [pid, name] of pids) {
    try {
      times.set(pid, { name, ms: cpuMs(pid) });
    } catch {
      // Ended since.
    }
  }
  return times;
}

/**
 * Measures the CPU the whole stack spends on `work` (its services plus the PostgreSQL, NATS and
 * Redis servers, so nothing else may run on them meanwhile): total ms and ms per process name. A
 * process started during `work` counts from zero; one that ended is lost (PostgreSQL backends of
 * a pool stay). 10 ms resolution per process.
 */
export async function stackCpu(stack, work) {
  const before = snapshot(stack);
  await work();
  const after = snapshot(stack);
  const byName = {};
  for (const [pid, { name, ms }] of after) {
    byName[name] = (byName[name] ?? 0) + ms - (before.get(pid)?.ms ?? 0);
  }
  return { totalMs: Object.values(byName).reduce((a, b) => a + b, 0), byName };
}
