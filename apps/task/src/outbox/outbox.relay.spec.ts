import type { BusPublisher } from '@shannon/bus';
import type { TaskConfig } from '../config';
import { OutboxRelay } from './outbox.relay';
import type { OutboxRepository, PendingOutboxMessage } from './outbox.repository';

const message = (id: number, subject: string): PendingOutboxMessage => ({ id: BigInt(id), subject, msgId: `task_${id}`, payload: new Uint8Array([id]), headers: null });

describe(OutboxRelay.name, () => {
  it('publishes every message it can and leaves a refused one for the next round', async () => {
    const marked: bigint[][] = [];
    const outbox = {
      publishBatch: jest.fn(async (_limit: number, _olderThanMs: number, publish: (batch: PendingOutboxMessage[]) => Promise<bigint[]>) => {
        const sent = await publish([message(1, 'dead.subject'), message(2, 'tasks.v1.work'), message(3, 'tasks.v1.work')]);
        marked.push(sent);
        return sent.length;
      }),
    };
    const publisher = {
      publish: jest.fn(async (subject: string) => {
        if (subject === 'dead.subject') {
          throw new Error('no stream');
        }
        return { duplicate: false };
      }),
    };
    const sut = new OutboxRelay(outbox as unknown as OutboxRepository, publisher as unknown as BusPublisher, { TASK_ROLE: 'api' } as TaskConfig);
    sut.kick();
    await sut.settle();
    expect(publisher.publish).toHaveBeenCalledTimes(3);
    expect(marked).toEqual([[2n, 3n]]);
  });

  it('publishes a submitted message at once and marks the rows sent in one turn with one statement', async () => {
    const outbox = { markPublished: jest.fn().mockResolvedValue(undefined) };
    const publisher = {
      publish: jest.fn(async (_subject: string, _data: Uint8Array, options: { msgId: string }) => {
        if (options.msgId === 'task_refused') {
          throw new Error('no stream');
        }
        return { duplicate: false };
      }),
    };
    const sut = new OutboxRelay(outbox as unknown as OutboxRepository, publisher as unknown as BusPublisher, { TASK_ROLE: 'api' } as TaskConfig);
    for (const taskId of ['task_a', 'task_refused', 'task_b']) {
      sut.send(taskId, { subject: 'tasks.v1.work', msgId: taskId, payload: new Uint8Array([1]) });
    }
    expect(publisher.publish).toHaveBeenCalledTimes(3);

    await sut.beforeApplicationShutdown();
    expect(outbox.markPublished.mock.calls).toEqual([[['task_a', 'task_b']]]);
  });
});
