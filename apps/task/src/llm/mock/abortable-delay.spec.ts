import { getEventListeners } from 'node:events';
import { abortableDelay, DelayAbortedError } from './abortable-delay';

describe(abortableDelay.name, () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('resolves after the delay and removes its abort listener', async () => {
    const controller = new AbortController();

    await expect(abortableDelay(5, controller.signal)).resolves.toBeUndefined();

    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('resolves at once for a zero delay', async () => {
    await expect(abortableDelay(0)).resolves.toBeUndefined();
  });

  it('rejects immediately when the signal has already aborted', async () => {
    const controller = new AbortController();
    controller.abort();

    await expect(abortableDelay(0, controller.signal)).rejects.toBeInstanceOf(
      DelayAbortedError,
    );
  });

  it('rejects promptly when the signal aborts during the wait and clears the timer', async () => {
    jest.useFakeTimers();
    const controller = new AbortController();
    const sut = abortableDelay(60_000, controller.signal);
    expect(jest.getTimerCount()).toBe(1);

    controller.abort('stop');

    await expect(sut).rejects.toMatchObject({
      name: 'DelayAbortedError',
      cause: 'stop',
    });
    expect(jest.getTimerCount()).toBe(0);
  });
});
