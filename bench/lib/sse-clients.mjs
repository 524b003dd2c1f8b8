import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';

/** A connection pool with no limit: every SSE client gets its own socket. */
const agent = new Agent({ keepAlive: false, maxSockets: Infinity });

/**
 * One SSE client that parses frames as they come and reports, per frame, the event name and the
 * delivery lag (now minus the event's own time, read from its `stream_id` `<ms>-<seq>`, which the
 * worker stamps when it emits the event). Cheap enough to run thousands in one process.
 * `method` and `body` serve streams opened by a request (the peer's `POST /threads/{id}/runs/stream`);
 * `raw` is the frame's text, for callers that read its data (left unparsed here to stay cheap).
 * `ready` resolves on our gateway's opening `: connected` comment; servers that send no opening
 * frame (the peer) pass `readyOnHeaders` to count a 200 answer as connected.
 * @param {string} url
 * @param {{method?: string, body?: string, headers?: Record<string,string>, readyOnHeaders?: boolean, onFrame?: (frame: {event: string, id: number, ms: number, lag: number, at: number, raw: string}) => void}} options
 * @returns {{ready: Promise<void>, ended: Promise<void>, close: () => void}}
 */
export function sseClient(url, { method = 'GET', body, headers = {}, readyOnHeaders = false, onFrame = () => undefined } = {}) {
  let close = () => undefined;
  let markReady;
  let markEnded;
  const ready = new Promise((resolve, reject) => (markReady = { resolve, reject }));
  const ended = new Promise((resolve) => (markEnded = resolve));
  const req = request(url, { agent, method, headers }, (res) => {
    // Ends on any status: an error answer must end the client too, not leave it waiting.
    res.on('close', () => markEnded());
    if (res.statusCode !== 200) {
      markReady.reject(new Error(`${url} answered ${res.statusCode}`));
      res.resume();
      return;
    }
    if (readyOnHeaders) {
      markReady.resolve();
    }
    res.setEncoding('utf8');
    let pending = '';
    res.on('data', (chunk) => {
      pending += chunk;
      let end = pending.indexOf('\n\n');
      while (end >= 0) {
        const frame = pending.slice(0, end);
        pending = pending.slice(end + 2);
        end = pending.indexOf('\n\n');
        if (frame.startsWith(':')) {
          if (frame.startsWith(': connected')) {
            markReady.resolve();
          }
          continue;
        }
        const at = Date.now();
        const event = /^event: (.*)$/m.exec(frame)?.[1] ?? '';
        const id = Number(/^id: (\d+)$/m.exec(frame)?.[1] ?? 0);
        const streamId = /"stream_id":"(\d+)-/.exec(frame);
        const ms = streamId ? Number(streamId[1]) : 0;
        onFrame({ event, id, ms, lag: ms ? at - ms : 0, at, raw: frame });
      }
    });
  });
  req.on('error', (error) => {
    markReady.reject(error);
    markEnded();
  });
  req.end(body);
  close = () => req.destroy();
  return { ready, ended, close: () => close() };
}

/** Opens `count` clients, at most `concurrency` connecting at once; resolves when all are connected. */
export async function openClients(count, urlFor, options, concurrency = 200) {
  const { clients, errors, firstError } = await openClientsSettled(count, urlFor, options, { concurrency });
  if (errors > 0) {
    clients.forEach((client) => client.close());
    throw firstError;
  }
  return clients;
}

/**
 * Like openClients, but a client that fails or does not connect within `timeoutMs` is closed and
 * counted instead of failing the lot: a server that gives up at some number of clients still
 * yields a row saying how many got through.
 * @returns {Promise<{clients: ReturnType<typeof sseClient>[], errors: number, firstError?: Error}>} the connected clients only
 */
export async function openClientsSettled(count, urlFor, options, { concurrency = 200, timeoutMs = 30_000 } = {}) {
  const clients = [];
  let errors = 0;
  let firstError;
  let next = 0;
  async function connectOne(index) {
    const client = sseClient(urlFor(index), options(index));
    let timer;
    const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)));
    try {
      await Promise.race([client.ready, timeout]);
      clients.push(client);
    } catch (error) {
      client.close();
      errors += 1;
      firstError ??= error;
    } finally {
      clearTimeout(timer);
    }
  }
  async function worker() {
    while (next < count) {
      await connectOne(next++);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { clients, errors, firstError };
}

export function percentile(sorted, p) {
  if (sorted.length === 0) {
    return 0;
  }
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Resident memory of a process in bytes (Linux). */
export function residentBytes(pid) {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

/** CPU time (user + system) a process has used, in ms (Linux, 100 ticks per second). */
export function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
