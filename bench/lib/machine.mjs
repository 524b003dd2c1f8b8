import { execSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';

/** What the numbers were measured on: they mean little without it. */
export function machine() {
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memory_gib: Math.round(totalmem() / 2 ** 30),
    load_average: loadavg().map((v) => Number(v.toFixed(2))),
    node: process.version,
    nats_server: version('nats-server --version'),
    postgres: version('psql --version'),
    redis: version('redis-server --version'),
  };
}

export function packageVersion(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

function version(command) {
  try {
    return execSync(command, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim().split('\n')[0];
  } catch {
    return 'not found';
  }
}
