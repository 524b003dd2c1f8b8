import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { currentTrace, type TraceContext } from '@shannon/logging';
import { DurableConsumerFactory } from './durable-consumer';
import type { NatsConnection } from './nats-connection';

function message(subject: string, headers?: Record<string, string>) {
  const hdrs = headers ? natsHeaders() : undefined;
  for (const [key, value] of Object.entries(headers ?? {})) {
    hdrs?.set(key, value);
  }
  return { subject, headers: hdrs, info: { deliveryCount: 1 }, ack: jest.fn(), nak: jest.fn() } as unknown as JsMsg & { ack: jest.Mock; nak: jest.Mock };
}

function natsWith(messages: JsMsg[], close = jest.fn()): NatsConnection {
  const iterator = (async function* () {
    yield* messages;
  })() as unknown as ConsumerMessages;
  Object.assign(iterator, { close: async () => close() });
  return {
    jsm: { consumers: { add: jest.fn().mockResolvedValue({}), info: jest.fn().mockRejectedValue(new Error('consumer not found')) } },
    jetstream: { consumers: { get: jest.fn().mockResolvedValue({ consume: jest.fn().mockResolvedValue(iterator) }) } },
  } as unknown as NatsConnection;
}

describe(DurableConsumerFactory.name, () => {
  it('acks handled messages, naks failed ones with back-off, and bounds the work in flight', async () => {
    const messages = [message('a'), message('b'), message('c')];
    const close = jest.fn();
    const nats = natsWith(messages, close);
    let inFlight = 0;
    let maxInFlight = 0;
    const sut = new DurableConsumerFactory(nats);
    const consumer = await sut.start({
      stream: 'S',
      durable: 'd',
      filterSubject: 's.>',
      ackWaitMs: 1000,
      maxDeliver: 3,
      concurrency: 2,
      backoffMs: () => 123,
      handle: async (msg) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        if (msg.subject === 'b') {
          throw new Error('failed');
        }
      },
    });
    await consumer.stop();
    expect(close).toHaveBeenCalled();
    expect(messages[0].ack).toHaveBeenCalled();
    expect(messages[1].nak).toHaveBeenCalledWith(123);
    expect(messages[1].ack).not.toHaveBeenCalled();
    expect(messages[2].ack).toHaveBeenCalled();
    expect(maxInFlight).toBe(2);
  });

  it('handles each message inside a span of the trace it was published in', async () => {
    const traced = message('a', { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
    const untraced = message('b');
    const seen: (TraceContext | undefined)[] = [];
    const consumer = await new DurableConsumerFactory(natsWith([traced, untraced])).start({
      stream: 'S',
      durable: 'd',
      filterSubject: 's.>',
      ackWaitMs: 1000,
      maxDeliver: 3,
      concurrency: 1,
      handle: async () => void seen.push(currentTrace()),
    });
    await consumer.stop();
    expect(seen[0]?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(seen[0]?.spanId).not.toBe('00f067aa0ba902b7');
    expect(seen[1]?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(seen[1]?.traceId).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });
});

describe(`${DurableConsumerFactory.name} dispositions`, () => {
  it('acks with a server confirmation, naks with the asked delay, terms, and updates an existing durable', async () => {
    const msg = (subject: string) =>
      ({ subject, info: { deliveryCount: 1 }, ack: jest.fn(), ackAck: jest.fn().mockResolvedValue(true), nak: jest.fn(), term: jest.fn() }) as unknown as JsMsg & Record<'ack' | 'ackAck' | 'nak' | 'term', jest.Mock>;
    const messages = [msg('ack'), msg('nak'), msg('term')];
    const iterator = (async function* () {
      yield* messages;
    })() as unknown as ConsumerMessages;
    Object.assign(iterator, { close: async () => undefined });
    const update = jest.fn().mockResolvedValue({});
    const add = jest.fn();
    const nats = {
      jsm: { consumers: { add, update, info: jest.fn().mockResolvedValue({ name: 'd' }) } },
      jetstream: { consumers: { get: jest.fn().mockResolvedValue({ consume: jest.fn().mockResolvedValue(iterator) }) } },
    } as unknown as NatsConnection;
    const sut = new DurableConsumerFactory(nats);

    const consumer = await sut.start({
      stream: 'S',
      durable: 'd',
      filterSubject: 's.>',
      ackWaitMs: 1000,
      maxDeliver: 6,
      concurrency: 1,
      doubleAck: true,
      handle: (m) =>
        Promise.resolve(m.subject === 'nak' ? { kind: 'nak' as const, delayMs: 250 } : m.subject === 'term' ? { kind: 'term' as const, reason: 'poison' } : undefined),
    });
    await consumer.stop();

    expect(add).not.toHaveBeenCalled();
    expect(update).toHaveBeenCalledWith('S', 'd', expect.objectContaining({ max_deliver: 6 }));
    expect(messages[0].ackAck).toHaveBeenCalled();
    expect(messages[0].ack).not.toHaveBeenCalled();
    expect(messages[1].nak).toHaveBeenCalledWith(250);
    expect(messages[2].term).toHaveBeenCalledWith();
  });
});
