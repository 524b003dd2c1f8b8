// Helpers to watch one peer run from many clients (W3): a long background run on the `essay`
// graph, the URL and headers to join its stream, and the processes that serve it.
import { readdirSync, readFileSync } from 'node:fs';

const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * The run is created with `stream_resumable` and clients join with `Last-Event-ID: -1`, as the
 * peer's own SDK does (`useStream().joinStream`): a run's event queue is created by whichever comes
 * first, the run's first event or the first client, and either way it is then a replayable log
 * that every client reads in full, with the log index as the SSE `id`. A non-resumable queue hands
 * each event to ONE of the joined clients, so many clients would split the stream between them.
 */
export const JOIN_HEADERS = { 'last-event-id': '-1' };

async function postJson(url, body) {
  const response = await fetch(url, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) });
  if (!response.ok) {
    throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
  }
  return response.json();
}

/**
 * Starts a background run of the `essay` graph that streams one token (a character) every
 * `tokenDelayMs` after `startDelayMs`, in the `messages-tuple` stream mode (tokens as they come).
 * @returns {Promise<{streamUrl: string, cancel: () => Promise<void>}>}
 */
export async function startLongRun(url, { tokenDelayMs, startDelayMs }) {
  const { thread_id: threadId } = await postJson(`${url}/threads`, {});
  const { run_id: runId } = await postJson(`${url}/threads/${threadId}/runs`, {
    assistant_id: 'essay',
    input: { messages: [{ role: 'user', content: 'Write a 600 word essay about rivers' }] },
    stream_mode: ['messages-tuple'],
    stream_resumable: true,
    config: { configurable: { token_delay_ms: tokenDelayMs, start_delay_ms: startDelayMs } },
  });
  return {
    streamUrl: `${url}/threads/${threadId}/runs/${runId}/stream`,
    async cancel() {
      await fetch(`${url}/threads/${threadId}/runs/${runId}/cancel`, { method: 'POST' }).catch(() => undefined);
    },
  };
}

/** Fields of /proc/<pid>/stat after the command name, or undefined once the process is gone (Linux). */
function statFields(pid) {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  } catch {
    return undefined;
  }
}

/** A process's start time in clock ticks: with the pid, it names the process even once the pid is reused. */
const startTime = (pid) => statFields(pid)?.[19];

/**
 * The processes under `rootPid`, outermost first: `langgraphjs dev` starts `tsx watch`, which
 * starts the server, so the last one serves the peer's HTTP API.
 * @returns {{pid: number, started: string}[]}
 */
export function peerProcesses(rootPid) {
  const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  const chain = [{ pid: rootPid, started: startTime(rootPid) }];
  for (;;) {
    const child = pids.find((pid) => Number(statFields(pid)?.[1]) === chain.at(-1).pid);
    if (!child) {
      return chain;
    }
    chain.push({ pid: child, started: startTime(child) });
  }
}

/** Still running: the same process (not a reused pid) and not a zombie waiting to be reaped. */
const alive = ({ pid, started }) => {
  const fields = statFields(pid);
  return fields !== undefined && fields[0] !== 'Z' && fields[19] === started;
};

/**
 * Waits for the processes to exit and kills those still there after `graceMs`. Stopping
 * `langgraphjs dev` (peer.stop) does not wait for its server: with thousands of connections just
 * closed, the server can outlive it by a minute, orphaned, and take CPU from whatever runs next.
 */
export async function awaitExit(processes, graceMs = 15_000) {
  const deadline = Date.now() + graceMs;
  while (processes.some(alive) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  for (const { pid } of processes.filter(alive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone in between
    }
  }
}
