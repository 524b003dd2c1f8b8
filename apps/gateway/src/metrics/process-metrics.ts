import { collectDefaultMetrics, register } from 'prom-client';

let collecting = false;

/**
 * Node's own gauges on /metrics (resident memory, heap, external memory, event-loop lag, open
 * handles), registered once per process however many gateways a test builds in it.
 */
export function collectProcessMetrics(): void {
  if (!collecting) {
    collectDefaultMetrics({ register });
    collecting = true;
  }
}
