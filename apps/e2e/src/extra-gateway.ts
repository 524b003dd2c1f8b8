import { freePort, waitFor } from '@shannon/testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { RunningStack } from './running-stack';

// eslint-disable-next-line @nx/enforce-module-boundaries -- the launcher is plain CommonJS shared with `npm start`
const { ROOT } = require('../../../tools/stack/stack.cjs') as { ROOT: string };
const GATEWAY_MAIN = join(ROOT, 'dist', 'apps', 'gateway', 'main.js');

export interface ExtraGateway {
  url: string;
  /** Everything the process wrote so far. */
  output(): string;
  stop(): Promise<void>;
}

function launch(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [GATEWAY_MAIN], { cwd: join(ROOT, 'dist', 'apps', 'gateway'), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { child, output: () => text };
}

function serviceUrls(stack: RunningStack): Record<string, string> {
  return {
    AUTH_GRPC_URL: `http://127.0.0.1:${stack.ports['auth']}`,
    SESSION_GRPC_URL: `http://127.0.0.1:${stack.ports['session']}`,
    TASK_GRPC_URL: `http://127.0.0.1:${stack.ports['task']}`,
    STREAMING_GRPC_URL: `http://127.0.0.1:${stack.ports['streaming']}`,
  };
}

/** Another gateway replica (the built one) in front of the same services, with some settings changed. */
export async function startExtraGateway(stack: RunningStack, env: Record<string, string> = {}): Promise<ExtraGateway> {
  const port = await freePort();
  const { child, output } = launch({ ...stack.env, ...serviceUrls(stack), PORT: String(port), HOST: '127.0.0.1', ...env });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) {
        throw new Error(`the extra gateway exited with ${child.exitCode}: ${output()}`);
      }
      return (await fetch(`${url}/health`)).ok;
    },
    { timeoutMs: 30_000, intervalMs: 100, description: 'the extra gateway to answer /health' },
  );
  return {
    url,
    output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Runs the built gateway with `env` until it exits (for configurations it must refuse). */
export function runGatewayUntilExit(env: Record<string, string>, timeoutMs = 30_000): Promise<{ code: number | null; output: string }> {
  const { child, output } = launch(env);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output: output() });
    }),
  );
}
