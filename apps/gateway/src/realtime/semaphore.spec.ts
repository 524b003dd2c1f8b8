import { Semaphore } from './semaphore';

describe(Semaphore.name, () => {
  it('lets `limit` holders in and the next one when a slot is released', async () => {
    const sut = new Semaphore(2);
    const signal = new AbortController().signal;
    const first = await sut.acquire(signal);
    await sut.acquire(signal);
    let third = false;
    const waiting = sut.acquire(signal).then((release) => {
      third = true;
      return release;
    });
    await Promise.resolve();
    expect(third).toBe(false);

    first();
    first();
    await waiting;

    expect(third).toBe(true);
    expect(sut.inUse).toBe(2);
  });

  it('gives up waiting when the signal aborts', async () => {
    const sut = new Semaphore(1);
    await sut.acquire(new AbortController().signal);
    const abort = new AbortController();
    const waiting = sut.acquire(abort.signal);

    abort.abort(new Error('client left'));

    await expect(waiting).rejects.toThrow('client left');
    expect(sut.inUse).toBe(1);
  });
});
