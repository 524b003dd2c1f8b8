import type { StoredMsg } from '@nats-io/jetstream';
import type { NatsConnection } from './nats-connection';

/**
 * The latest message `stream` stores on any of `subjects`, or undefined when it stores none. Give
 * literal subjects: the server finds the last message of each from its subject index, where a
 * wildcard look-up goes through every subject of the stream (ADR 0052).
 */
export async function latestMessage(nats: NatsConnection, stream: string, subjects: string[]): Promise<StoredMsg | undefined> {
  const stored = await Promise.all(subjects.map((subject) => nats.jsm.streams.getMessage(stream, { last_by_subj: subject })));
  return stored.reduce<StoredMsg | undefined>((latest, message) => (message && (!latest || message.seq > latest.seq) ? message : latest), undefined);
}
