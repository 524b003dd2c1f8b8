import { DeltaCoalescer } from './delta-coalescer';

/** A send whose calls stay in flight until the test settles them. */
function heldSend() {
  const sent: string[] = [];
  const inFlight: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const send = (text: string) => {
    sent.push(text);
    return new Promise<void>((resolve, reject) => inFlight.push({ resolve, reject }));
  };
  const settle = async (outcome: 'ok' | Error = 'ok') => {
    const call = inFlight.shift();
    if (!call) {
      throw new Error('nothing in flight');
    }
    if (outcome === 'ok') {
      call.resolve();
    } else {
      call.reject(outcome);
    }
    // Let the coalescer see the outcome and start its next send.
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { sent, send, settle, inFlightCount: () => inFlight.length };
}

describe('DeltaCoalescer', () => {
  it('sends a delta at once, in the same turn, when none is in flight', () => {
    const { sent, send } = heldSend();
    const deltas = new DeltaCoalescer(send, 4_000);

    deltas.push('The');

    expect(sent).toEqual(['The']);
  });

  it('gathers the deltas that come while one is in flight and sends them as one when it is acknowledged', async () => {
    const { sent, send, settle, inFlightCount } = heldSend();
    const deltas = new DeltaCoalescer(send, 4_000);

    deltas.push('The');
    deltas.push(' capital');
    deltas.push(' of');
    expect(sent).toEqual(['The']);

    await settle();
    expect(sent).toEqual(['The', ' capital of']);
    deltas.push(' France');
    expect(inFlightCount()).toBe(1);
    await settle();
    expect(sent).toEqual(['The', ' capital of', ' France']);
    await settle();
    await deltas.flush();
    expect(inFlightCount()).toBe(0);
  });

  it('sends every delta alone when each is acknowledged before the next comes (a slow model)', async () => {
    const { sent, send, settle } = heldSend();
    const deltas = new DeltaCoalescer(send, 4_000);

    for (const word of ['a', ' b', ' c']) {
      deltas.push(word);
      await settle();
    }

    expect(sent).toEqual(['a', ' b', ' c']);
  });

  it('keeps a gathered delta within the limit, whole deltas only, and never splits one that is longer', async () => {
    const { sent, send, settle } = heldSend();
    const deltas = new DeltaCoalescer(send, 5);

    deltas.push('x');
    ['ab', 'cd', 'ef', 'longer than five', 'g'].forEach((text) => deltas.push(text));
    while (sent.length < 5) {
      await settle();
    }

    expect(sent).toEqual(['x', 'abcd', 'ef', 'longer than five', 'g']);
  });

  it('flush resolves once everything pushed is acknowledged', async () => {
    const { send, settle } = heldSend();
    const deltas = new DeltaCoalescer(send, 4_000);
    let flushed = false;

    deltas.push('a');
    deltas.push('b');
    const flushing = deltas.flush().then(() => (flushed = true));
    await settle();
    expect(flushed).toBe(false);
    await settle();
    await flushing;

    expect(flushed).toBe(true);
  });

  it('stops at a failed send: what was gathered is not sent, and the next push and flush throw its error', async () => {
    const { sent, send, settle } = heldSend();
    const deltas = new DeltaCoalescer(send, 4_000);

    deltas.push('a');
    deltas.push('b');
    await settle(new Error('bus refused'));

    expect(sent).toEqual(['a']);
    expect(() => deltas.push('c')).toThrow('bus refused');
    await expect(deltas.flush()).rejects.toThrow('bus refused');
  });

  it('ignores empty deltas', () => {
    const { sent, send } = heldSend();
    const deltas = new DeltaCoalescer(send, 4_000);

    deltas.push('');

    expect(sent).toEqual([]);
  });
});
