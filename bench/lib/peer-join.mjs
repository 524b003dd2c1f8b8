// Helpers to watch one peer run from many clients (W3): a long background run on the `essay`
// graph, and the URL and headers to join its stream.
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
