import type { StoredMsg } from '@nats-io/jetstream';
import { latestMessage } from './latest-message';
import type { NatsConnection } from './nats-connection';

const stored = (seq: number) => ({ seq }) as StoredMsg;

describe('latestMessage', () => {
  const withStream = (bySubject: Record<string, StoredMsg | null>) => {
    const getMessage = jest.fn(async (_stream: string, query: { last_by_subj: string }) => bySubject[query.last_by_subj] ?? null);
    return { nats: { jsm: { streams: { getMessage } } } as unknown as NatsConnection, getMessage };
  };

  it('looks up the last message of each subject given and answers the latest of them', async () => {
    const { nats, getMessage } = withStream({ 'a.lifecycle': stored(7), 'a.progress': stored(12), 'a.ephemeral': stored(9) });

    const latest = await latestMessage(nats, 'EVENTS', ['a.lifecycle', 'a.progress', 'a.ephemeral']);

    expect(latest?.seq).toBe(12);
    expect(getMessage.mock.calls.map(([stream, query]) => [stream, query.last_by_subj])).toEqual([
      ['EVENTS', 'a.lifecycle'],
      ['EVENTS', 'a.progress'],
      ['EVENTS', 'a.ephemeral'],
    ]);
  });

  it('answers the one subject that has a message, and undefined when none has', async () => {
    expect((await latestMessage(withStream({ 'a.progress': stored(3) }).nats, 'EVENTS', ['a.lifecycle', 'a.progress']))?.seq).toBe(3);
    expect(await latestMessage(withStream({}).nats, 'EVENTS', ['a.lifecycle', 'a.progress'])).toBeUndefined();
  });
});
