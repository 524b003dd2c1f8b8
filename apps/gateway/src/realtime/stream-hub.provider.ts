import type { Provider } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { StreamHub } from './stream-hub';
import { TaskEventUpstream } from './task-event.upstream';

/** The process's stream hub, with its settings from the configuration. */
export const streamHubProvider: Provider = {
  provide: StreamHub,
  inject: [TaskEventUpstream, GATEWAY_CONFIG],
  useFactory: (upstream: TaskEventUpstream, config: GatewayConfig) =>
    new StreamHub(upstream, {
      bufferBytes: config.STREAM_CLIENT_BUFFER_BYTES,
      slowClientTimeoutMs: config.STREAM_SLOW_CLIENT_TIMEOUT_MS,
      ringSize: config.STREAM_FEED_RING_SIZE,
      feedLingerMs: config.STREAM_FEED_LINGER_MS,
      finishedIdleMs: config.STREAM_FINISHED_IDLE_MS,
      heartbeatMs: config.STREAM_HEARTBEAT_MS,
      catchupConcurrency: config.STREAM_CATCHUP_CONCURRENCY,
    }),
};
