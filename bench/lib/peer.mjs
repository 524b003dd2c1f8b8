import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageVersion } from './machine.mjs';
import { awaitExit, processChain } from './process-chain.mjs';
import { freePort } from './our-stack.mjs';

const BENCH = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The LangGraph.js Agent Server in its in-memory dev mode, default settings, as a user runs it
 * (`langgraphjs dev`), serving the one-node graph of bench/peer.
 */
export async function startPeer() {
  // In dev mode the peer keeps threads, runs and its queue in bench/peer/.langgraph_api across
  // restarts: an earlier workload's backlog of queued runs would run first. Every start is fresh.
  rmSync(join(BENCH, 'peer', '.langgraph_api'), { recursive: true, force: true });
  const port = await freePort();
  const cli = join(BENCH, 'node_modules', '@langchain', 'langgraph-cli', 'dist', 'cli', 'cli.mjs');
  const child = spawn(process.execPath, [cli, 'dev', '--no-browser', '--no-reload', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: join(BENCH, 'peer'),
    env: { ...process.env, LANGGRAPH_CLI_NO_ANALYTICS: '1', LANGSMITH_TRACING: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`The peer exited early:\n${output.slice(-2000)}`);
    }
    try {
      if ((await fetch(`${url}/ok`)).ok) {
        break;
      }
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The peer did not start within 120 s:\n${output.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  // `langgraphjs dev` starts `tsx watch`, which starts the server: the last of the chain serves the
  // HTTP API. Stopping the CLI does not wait for the server, which with thousands of connections
  // just closed can outlive it by a minute, orphaned, taking CPU from whatever runs next.
  const processes = processChain(child.pid);
  return {
    url,
    /** The process that serves the peer's HTTP API (whose memory and CPU count). */
    serverPid: processes.at(-1).pid,
    version: `@langchain/langgraph-cli ${packageVersion(join(BENCH, 'node_modules', '@langchain', 'langgraph-cli', 'package.json'))}`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      await awaitExit(processes);
    },
  };
}

/** Creates `count` threads on the peer for background runs to be spread over. */
export async function createThreads(url, count) {
  const ids = [];
  for (let i = 0; i < count; i += 1) {
    const response = await fetch(`${url}/threads`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    ids.push((await response.json()).thread_id);
  }
  return ids;
}
