import { collect } from '@shannon/testing';
import { EventQueue } from './event-queue';

describe(EventQueue.name, () => {
  it('hands items out in order, waiting for the next one, and ends after close once drained', async () => {
    const queue = new EventQueue<number>(10, () => new Error('overflow'));
    queue.push(1);
    const reading = collect(queue);
    await new Promise((resolve) => setImmediate(resolve));
    queue.push(2);
    queue.push(3);
    queue.close();
    queue.push(4);

    await expect(reading).resolves.toEqual([1, 2, 3]);
  });

  it('fails a reader that falls `limit` items behind', async () => {
    const queue = new EventQueue<number>(2, () => new Error('fell behind'));
    queue.push(1);
    queue.push(2);
    queue.push(3);

    await expect(collect(queue)).rejects.toThrow('fell behind');
  });
});
