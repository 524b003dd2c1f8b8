import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { BusNames } from '@shannon/contracts';

/** Deletes the streams a test run created under its NATS namespace, so nothing is left behind. */
export async function removeBusNamespace(namespace: string, url = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222'): Promise<void> {
  if (!namespace) {
    throw new Error('Refusing to remove the streams of the empty (production) namespace');
  }
  const names = new BusNames(namespace);
  const nats = await connect({ servers: url, name: 'test-cleanup' });
  try {
    const jsm = await jetstreamManager(nats);
    for (const stream of [names.tasksStream, names.eventsStream]) {
      await jsm.streams.delete(stream).catch(() => undefined);
    }
  } finally {
    await nats.close();
  }
}
