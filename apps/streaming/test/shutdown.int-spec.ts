import { EPHEMERAL_EVENT_TYPES } from '@shannon/contracts';
import { connectTestDatabase, newIdentity } from '@shannon/testing';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { STREAMING_SCHEMA } from '../src/config';
import { EventLogConsumer } from '../src/events/event-log.consumer';
import { PrismaService } from '../src/prisma/prisma.service';
import { type StreamingTestApp, startStreamingTestApp } from './streaming-test-app';
import { RUN, subscribeHelpers } from './subscribe-helpers';

const LASTING = RUN.filter((type) => !EPHEMERAL_EVENT_TYPES.has(type));
const TASKS = 300;

/**
 * Stopping the service while its event log is still catching up (ADR 0004): the consumer stops
 * before the database closes, so the stop ends and every event it acked is written; what it did
 * not take stays on the stream for the next replica.
 */
describe('streaming service shutdown', () => {
  let app: StreamingTestApp;
  let db: Client;

  beforeAll(async () => {
    app = await startStreamingTestApp('shutdown');
    db = await connectTestDatabase(app.databaseUrl);
  });

  afterAll(async () => {
    await app?.stop();
    await db?.end();
  });

  it('stops the event log before closing the database, and every event it acked is written', async () => {
    const owner = newIdentity();
    const { publishRun } = subscribeHelpers(() => app);
    const order = recordShutdownOrder();
    await Promise.all(Array.from({ length: TASKS }, () => publishRun(owner, `task_${randomUUID()}`, LASTING)));

    await app.closeService();

    expect(order).toEqual(['event log stopped', 'database closed']);
    const consumer = await app.jsm.consumers.info(app.names.eventsStream, app.names.eventLogConsumer);
    const { rows } = await db.query<{ count: string }>(`SELECT count(*) FROM "${STREAMING_SCHEMA}".event_log WHERE tenant_id = $1`, [owner.tenantId]);
    expect(consumer.num_redelivered).toBe(0);
    expect(Number(rows[0].count)).toBe(consumer.delivered.consumer_seq - consumer.num_ack_pending);
  });

  function recordShutdownOrder(): string[] {
    const order: string[] = [];
    const eventLog = app.get(EventLogConsumer);
    const stopEventLog = eventLog.beforeApplicationShutdown.bind(eventLog);
    jest.spyOn(eventLog, 'beforeApplicationShutdown').mockImplementation(async () => {
      await stopEventLog();
      order.push('event log stopped');
    });
    const prisma = app.get(PrismaService);
    const disconnect = prisma.$disconnect.bind(prisma);
    jest.spyOn(prisma, '$disconnect').mockImplementation(() => {
      order.push('database closed');
      return disconnect();
    });
    return order;
  }
});
