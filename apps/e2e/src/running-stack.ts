import { ensureTestDatabase, freePort, newBusNamespace, removeBusNamespace } from '@shannon/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The same launcher `npm start` uses, so the end-to-end tests run the built services as a user would.
// eslint-disable-next-line @nx/enforce-module-boundaries -- the launcher is plain CommonJS shared with `npm start`
const { startStack } = require('../../../tools/stack/stack.cjs') as {
  startStack: (options: { env: Record<string, string>; ports: Record<string, number>; logDir: string }) => Stack;
};

interface Stack {
  gatewayUrl: string;
  ports: Record<string, number>;
  children: { service: { name: string }; child: import('node:child_process').ChildProcess }[];
  waitUntilReady(timeoutMs?: number): Promise<unknown>;
  stop(graceMs?: number): Promise<void>;
}

export interface RunningStack extends Stack {
  logDir: string;
  namespace: string;
  databaseUrl: string;
  /** The environment every service was started with (without ports and service URLs). */
  env: Record<string, string>;
  ports: Record<string, number>;
  /** A request to the stack's gateway: `path` starts with `/`. */
  api(path: string, init?: RequestInit): Promise<Response>;
}

/** Starts every built service on free ports, against its own test database and NATS namespace. */
export async function startTestStack(env: Record<string, string> = {}): Promise<RunningStack> {
  const databaseUrl = await ensureTestDatabase('shannon_e2e_test');
  const namespace = newBusNamespace('e2e');
  const names = ['auth', 'session', 'task', 'streaming', 'gateway'];
  const ports = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await freePort()] as const)));
  const logDir = mkdtempSync(join(tmpdir(), 'shannon-e2e-'));
  const stackEnv = {
    ENVIRONMENT: 'test',
    GATEWAY_SKIP_AUTH: '1',
    MIGRATE_ON_START: '1',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    NATS_NAMESPACE: namespace,
    MOCK_TOKEN_DELAY_MS: '1',
    // Tests poll quickly with the seeds' key: limits high enough never to get in the way (tests of
    // the limits use per-key overrides, which win over these).
    RATE_LIMIT_RPM: '1000000',
    RATE_LIMIT_BURST: '1000000',
    AUTH_RATE_LIMIT_RPM: '1000000',
    // Password hashing at full cost would make every register and login slow on a shared machine.
    PASSWORD_HASH_COST: '12',
    ...env,
  };
  const stack = startStack({ env: stackEnv, ports, logDir });
  try {
    await stack.waitUntilReady(60_000);
  } catch (error) {
    await stack.stop();
    throw new Error(`${(error as Error).message} (service logs in ${logDir})`);
  }
  const stop = stack.stop.bind(stack);
  // Stopping also removes the run's NATS streams, so the end-to-end tests leave nothing behind.
  stack.stop = async (graceMs?: number) => {
    await stop(graceMs);
    await removeBusNamespace(namespace);
  };
  const api = (path: string, init?: RequestInit) => fetch(`${stack.gatewayUrl}${path}`, init);
  return Object.assign(stack, { logDir, namespace, databaseUrl, env: stackEnv, ports, api });
}
