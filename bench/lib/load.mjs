import autocannon from 'autocannon';

/**
 * Fixed-duration HTTP load from one client for every system measured, so results compare.
 * @returns {Promise<{connections: number, accepted_per_s: number, p50_ms: number, p99_ms: number, errors: number, non2xx: number}>}
 */
export async function load({ url, method = 'GET', headers = {}, body, connections, durationSeconds, setupRequest }) {
  const result = await autocannon({
    url,
    method,
    headers,
    body,
    connections,
    duration: durationSeconds,
    requests: setupRequest ? [{ setupRequest }] : undefined,
  });
  return {
    connections,
    accepted_per_s: Math.round(result.requests.average),
    requests: result.requests.total,
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
