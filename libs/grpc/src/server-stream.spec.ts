import { EventEmitter } from 'node:events';
import { backpressuredStream } from './server-stream';

class FakeCall extends EventEmitter {
  writableNeedDrain = false;
}

describe(backpressuredStream.name, () => {
  it('pulls the next item only once the call has drained', async () => {
    const call = new FakeCall();
    const pulled: number[] = [];
    const received: number[] = [];
    const open = async function* () {
      for (let i = 1; i <= 3; i++) {
        pulled.push(i);
        yield i;
      }
    };
    let completed = false;
    const sut = backpressuredStream(open, call);
    sut.subscribe({
      next: (value) => {
        received.push(value);
        // The call's buffer is full after the first write.
        call.writableNeedDrain = true;
      },
      complete: () => (completed = true),
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(received).toEqual([1]);
    expect(pulled).toEqual([1, 2]);

    call.writableNeedDrain = false;
    call.emit('drain');
    await new Promise((resolve) => setImmediate(resolve));
    expect(received).toEqual([1, 2]);

    call.writableNeedDrain = false;
    call.emit('drain');
    await new Promise((resolve) => setImmediate(resolve));
    expect(received).toEqual([1, 2, 3]);
    expect(completed).toBe(true);
  });

  it('aborts the source when the subscriber goes away', async () => {
    const call = new FakeCall();
    let signal: AbortSignal | undefined;
    const open = async function* (s: AbortSignal) {
      signal = s;
      yield 1;
      await new Promise((resolve) => s.addEventListener('abort', resolve));
    };
    const subscription = backpressuredStream(open, call).subscribe(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    subscription.unsubscribe();
    expect(signal?.aborted).toBe(true);
  });

  it('passes the source failure on to the subscriber', async () => {
    const open = async function* (): AsyncGenerator<number> {
      yield* [];
      throw new Error('log unavailable');
    };
    const failure = await new Promise((resolve) => backpressuredStream(open, new FakeCall()).subscribe({ error: resolve }));
    expect(failure).toEqual(new Error('log unavailable'));
  });
});
