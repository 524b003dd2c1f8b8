import { Injectable, Logger } from '@nestjs/common';
import { AckPolicy, type ConsumerMessages, DeliverPolicy, type JsMsg } from '@nats-io/jetstream';
import { childSpan, newTrace, runWithTrace } from '@shannon/logging';
import { traceFromHeaders } from './bus-publisher';
import { NatsConnection } from './nats-connection';

const NANOS_PER_MS = 1_000_000;

/** What to do with a handled message: ack (the default), redeliver after a delay, or give up on it. */
export type ConsumerDisposition = { kind: 'ack' } | { kind: 'nak'; delayMs: number } | { kind: 'term'; reason: string };

export interface DurableConsumerOptions {
  stream: string;
  durable: string;
  filterSubject: string;
  /** The server redelivers a message not acked (or marked working) within this time. */
  ackWaitMs: number;
  /** Deliveries before the server gives up on a message. */
  maxDeliver: number;
  /** Messages handled at once by this process. */
  concurrency: number;
  /** Resolve to ack (or to another disposition); throw to nak with back-off (redelivery after the delay). */
  handle: (message: JsMsg) => Promise<void | ConsumerDisposition>;
  /** Delay before redelivery after the n-th failed delivery. */
  backoffMs?: (deliveryCount: number) => number;
  /** Wait for the server to confirm each ack (ackAck), so a processed message is never redelivered for a lost ack. */
  doubleAck?: boolean;
}

export interface RunningConsumer {
  stop(): Promise<void>;
}

const defaultBackoff = (deliveryCount: number) => Math.min(30_000, 500 * 2 ** (deliveryCount - 1));

/**
 * A durable pull consumer with explicit acks and bounded in-flight work. Several processes with
 * the same durable name share the work.
 */
@Injectable()
export class DurableConsumerFactory {
  private readonly logger = new Logger(DurableConsumerFactory.name);

  constructor(private readonly nats: NatsConnection) {}

  async start(options: DurableConsumerOptions): Promise<RunningConsumer> {
    const tunable = {
      ack_wait: options.ackWaitMs * NANOS_PER_MS,
      max_deliver: options.maxDeliver,
      max_ack_pending: Math.max(1000, options.concurrency * 4),
    };
    const existing = await this.nats.jsm.consumers.info(options.stream, options.durable).catch(() => undefined);
    if (existing) {
      // A new release may change the limits or the filter of a durable that already exists (the
      // server recounts what is pending under a new filter and keeps the consumer's place).
      await this.nats.jsm.consumers.update(options.stream, options.durable, { ...tunable, filter_subject: options.filterSubject });
    } else {
      await this.nats.jsm.consumers.add(options.stream, {
        durable_name: options.durable,
        filter_subject: options.filterSubject,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ...tunable,
      });
    }
    const consumer = await this.nats.jetstream.consumers.get(options.stream, options.durable);
    const messages = await consumer.consume({ max_messages: options.concurrency });
    const inFlight = new Set<Promise<void>>();
    const loop = this.run(messages, options, inFlight);
    return {
      stop: async () => {
        await messages.close();
        await loop;
        await Promise.allSettled([...inFlight]);
      },
    };
  }

  private async run(messages: ConsumerMessages, options: DurableConsumerOptions, inFlight: Set<Promise<void>>): Promise<void> {
    const backoff = options.backoffMs ?? defaultBackoff;
    for await (const message of messages) {
      while (inFlight.size >= options.concurrency) {
        await Promise.race(inFlight);
      }
      // Each message is handled in a span of the trace it was published in (or a new trace), so
      // the handler's logs name that trace and what it publishes continues it.
      const parent = traceFromHeaders(message.headers);
      const work = runWithTrace(parent ? childSpan(parent) : newTrace(), () => options.handle(message))
        .then((disposition) => this.settle(message, disposition ?? { kind: 'ack' }, options.doubleAck === true))
        .catch((error: Error) => {
          this.logger.warn(`${options.durable}: message ${message.subject} failed (delivery ${message.info.deliveryCount}): ${error.message}`);
          message.nak(backoff(message.info.deliveryCount));
        })
        .finally(() => inFlight.delete(work));
      inFlight.add(work);
    }
  }

  private async settle(message: JsMsg, disposition: ConsumerDisposition, doubleAck: boolean): Promise<void> {
    switch (disposition.kind) {
      case 'ack':
        if (doubleAck) {
          await message.ackAck();
        } else {
          message.ack();
        }
        return;
      case 'nak':
        message.nak(disposition.delayMs);
        return;
      case 'term':
        // nats-server 2.9 ignores "+TERM <reason>": terminate without one (the caller logs it).
        message.term();
        return;
    }
  }
}
