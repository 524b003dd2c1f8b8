import { Counter, Gauge } from 'prom-client';
import type { CloseReason } from './stream-sink';

export interface StreamStats {
  connections: number;
  catchingUp: number;
  feeds: number;
  bufferedBytes: number;
}

const sources = new Set<() => StreamStats>();

function total(key: keyof StreamStats): number {
  let sum = 0;
  sources.forEach((stats) => (sum += stats()[key]));
  return sum;
}

function gauge(key: keyof StreamStats, name: string, help: string): Gauge {
  return new Gauge({
    name,
    help,
    collect() {
      this.set(total(key));
    },
  });
}

/** Streaming metrics on the process's default registry (GET /metrics). */
export const StreamMetrics = {
  connections: gauge('connections', 'shannon_stream_connections', 'Open SSE and WebSocket streams'),
  catchingUp: gauge('catchingUp', 'shannon_stream_catching_up', 'Streams reading history with their own upstream call before they join their task feed'),
  feeds: gauge('feeds', 'shannon_stream_feeds', 'Live tasks with one shared upstream subscription in this process'),
  bufferedBytes: gauge('bufferedBytes', 'shannon_stream_buffered_bytes', 'Bytes written to stream clients that they have not taken yet'),
  closed: new Counter({ name: 'shannon_stream_closed_total', help: 'Streams closed, by reason', labelNames: ['reason'] as const }),

  /** Counts a hub's state in the gauges while it runs. */
  register(stats: () => StreamStats): () => void {
    sources.add(stats);
    return () => sources.delete(stats);
  },

  recordClose(reason: CloseReason | 'client'): void {
    StreamMetrics.closed.inc({ reason });
  },
};
