// Runs on the peer (LangGraph.js Agent Server) through the same SSE client we use for our stack, so
// both systems are read by identical code. Generic on purpose: W2 times one run per stream, W3 joins
// one run from many clients.
import { sseClient } from './sse-clients.mjs';

export { createThreads } from './peer.mjs';

const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * The body of a run of the bench graph (assistant `agent`) on one user message. `messages-tuple`
 * is the stream mode that carries the model's tokens (`event: messages`, data `[chunk, metadata]`);
 * `values` and `updates` only carry whole states.
 */
export function runBody(content, { streamMode = ['messages-tuple'], ...rest } = {}) {
  return { assistant_id: 'agent', input: { messages: [{ role: 'user', content }] }, stream_mode: streamMode, ...rest };
}

/**
 * `POST /threads/{id}/runs/stream`: creates a run whose response is its own SSE stream. The stream
 * ends when the server closes it, which the peer does about 500 ms after the run's last frame (its
 * join loop waits on the run's queue with a 500 ms timeout before it checks the run's status).
 * @returns {{ready: Promise<void>, ended: Promise<void>, close: () => void}} as sseClient
 */
export function streamRun(url, threadId, body, { onFrame } = {}) {
  return peerStream(`${url}/threads/${threadId}/runs/stream`, { method: 'POST', body: JSON.stringify(body), headers: JSON_HEADERS, onFrame });
}

/** `GET /threads/{id}/runs/{run_id}/stream`: joins a run's stream, as any number of clients can. */
export function joinRun(url, threadId, runId, { onFrame } = {}) {
  return peerStream(`${url}/threads/${threadId}/runs/${runId}/stream`, { onFrame });
}

/** `POST /threads/{id}/runs`: a background run; resolves to its run_id once the peer has queued it. */
export async function startRun(url, threadId, body) {
  const response = await fetch(`${url}/threads/${threadId}/runs`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) });
  if (!response.ok) {
    throw new Error(`POST /threads/${threadId}/runs answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()).run_id;
}

function peerStream(url, options) {
  const client = sseClient(url, options);
  // `ready` waits for our gateway's `: connected` comment, which the peer never sends: it only
  // settles here by rejecting on an error status, which `ended` reports anyway.
  client.ready.catch(() => undefined);
  return client;
}

/** The JSON of a frame's `data:` lines (the peer pretty-prints it over many lines). */
export function frameData(raw) {
  const data = raw
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(line[5] === ' ' ? 6 : 5))
    .join('\n');
  return data ? JSON.parse(data) : undefined;
}

/** The text a `messages` frame (stream mode messages-tuple) carries; '' for any other frame. */
export function tokenText(frame) {
  if (frame.event !== 'messages') {
    return '';
  }
  const content = frameData(frame.raw)?.[0]?.content;
  if (Array.isArray(content)) {
    return content.map((part) => (typeof part === 'string' ? part : (part.text ?? ''))).join('');
  }
  return typeof content === 'string' ? content : '';
}
