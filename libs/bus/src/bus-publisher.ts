import { Injectable } from '@nestjs/common';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { currentTrace, parseTraceparent, type TraceContext, traceHeaders, TRACEPARENT_HEADER, TRACESTATE_HEADER } from '@shannon/logging';
import { NatsConnection } from './nats-connection';

export interface PublishOptions {
  /** Nats-Msg-Id: the server drops a second message with the same id within its window. */
  msgId: string;
  headers?: Record<string, string>;
}

/** The trace context a message was published in (undefined when none or malformed). */
export function traceFromHeaders(headers: MsgHdrs | undefined): TraceContext | undefined {
  return parseTraceparent(headers?.get(TRACEPARENT_HEADER), headers?.get(TRACESTATE_HEADER) || undefined);
}

/** Publishes to JetStream and waits for the server's acknowledgement; the current trace rides along. */
@Injectable()
export class BusPublisher {
  constructor(private readonly nats: NatsConnection) {}

  async publish(subject: string, data: Uint8Array, options: PublishOptions): Promise<{ duplicate: boolean }> {
    const hdrs = natsHeaders();
    const trace = currentTrace();
    for (const [key, value] of Object.entries({ ...(trace ? traceHeaders(trace) : {}), ...options.headers })) {
      hdrs.set(key, value);
    }
    const ack = await this.nats.jetstream.publish(subject, data, { msgID: options.msgId, headers: hdrs });
    return { duplicate: ack.duplicate };
  }
}
