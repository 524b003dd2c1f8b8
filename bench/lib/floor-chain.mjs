import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { forkReady, stopChildren } from './child-processes.mjs';
import { dropDatabase, freePort, onJetStream, onPostgres, recreateDatabase } from './our-stack.mjs';

const HERE = join(dirname(fileURLToPath(import.meta.url)), 'floor');
const require = createRequire(import.meta.url);
const { ensureInfrastructure } = require('../../tools/stack/infrastructure.cjs');

/** A child process of the chain, resolved once it says it is ready (its errors show on the bench's stderr). */
const start = (script, args) => forkReady(join(HERE, script), args, ['ignore', 'ignore', 'inherit', 'ipc']);

/**
 * The floor of a submit on this machine: the same three processes in a row as ours (an HTTP edge,
 * then a session hop, then a task hop, over grpc-js on loopback), each hop committing one row to
 * PostgreSQL and the task hop publishing a work message to JetStream, with none of the rest (no
 * Nest, no protobuf, no auth, no rate limit, no idempotency, no validation, no outbox, no logs).
 */
export async function startFloorChain() {
  await ensureInfrastructure();
  const name = `bench_floor_${Date.now().toString(36)}_${process.pid}`;
  const database = `shannon_${name}`;
  const databaseUrl = `postgresql://postgres@127.0.0.1:5432/${database}`;
  const stream = name.toUpperCase();
  await recreateDatabase(database);
  await onPostgres(['session', 'task'].map((table) => `CREATE TABLE floor_${table} (id uuid PRIMARY KEY, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`), database);
  await onJetStream((jsm) => jsm.streams.add({ name: stream, subjects: [`${name}.work`], retention: 'workqueue', storage: 'file' }));
  const children = [];
  const stop = async () => {
    await stopChildren(children);
    await onJetStream((jsm) => jsm.streams.delete(stream).catch(() => undefined));
    await dropDatabase(database);
  };
  try {
    const [sessionPort, taskPort, edgePort] = [await freePort(), await freePort(), await freePort()];
    children.push(await start('hop.mjs', [sessionPort, databaseUrl, 'floor_session']));
    children.push(await start('hop.mjs', [taskPort, databaseUrl, 'floor_task', `${name}.work`]));
    children.push(await start('edge.mjs', [edgePort, `127.0.0.1:${sessionPort}`, `127.0.0.1:${taskPort}`]));
    return { url: `http://127.0.0.1:${edgePort}/submit`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
