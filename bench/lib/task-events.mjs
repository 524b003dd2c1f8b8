import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = join(import.meta.dirname, '..', '..');
const rootRequire = createRequire(join(ROOT, 'package.json'));
const { connect } = rootRequire('@nats-io/transport-node');

/**
 * Reads the three fields the runtime benchmark needs from a TaskEvent (proto3 wire format, see
 * proto/shannon/events/v1/task_event.proto: 1 workflow_id, 3 type, 8 seq). The bench is plain
 * JavaScript and does not load the generated TypeScript.
 */
export function decodeTaskEvent(bytes) {
  const event = {};
  let i = 0;
  const varint = () => {
    let result = 0n;
    let shift = 0n;
    let byte;
    do {
      byte = bytes[i++];
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
    } while (byte & 0x80);
    return result;
  };
  while (i < bytes.length) {
    const key = Number(varint());
    const field = key >> 3;
    const wire = key & 7;
    if (wire === 0) {
      const value = varint();
      if (field === 8) event.seq = Number(value);
    } else if (wire === 2) {
      const length = Number(varint());
      const slice = bytes.subarray(i, i + length);
      i += length;
      if (field === 1) event.task = Buffer.from(slice).toString();
      if (field === 3) event.type = Buffer.from(slice).toString();
    } else if (wire === 5) {
      i += 4;
    } else if (wire === 1) {
      i += 8;
    } else {
      throw new Error(`Unexpected wire type ${wire}`);
    }
  }
  return event;
}

/** Follows every task event of a namespace on core NATS and times them per task. */
export async function watchTaskEvents(namespace) {
  const nats = await connect({ servers: 'nats://127.0.0.1:4222', name: 'bench-events' });
  const watchers = new Map();
  const early = new Map();
  nats.subscribe(`${namespace}.events.>`, {
    callback: (_error, message) => {
      const event = decodeTaskEvent(message.data);
      const at = performance.now();
      const watcher = watchers.get(event.task);
      if (watcher) {
        watcher(event, at);
      } else {
        // Events can arrive before the submit's answer names the task.
        early.set(event.task, [...(early.get(event.task) ?? []), [event, at]]);
      }
    },
  });
  return {
    watch(taskId, onEvent) {
      watchers.set(taskId, onEvent);
      for (const [event, at] of early.get(taskId) ?? []) onEvent(event, at);
      early.delete(taskId);
    },
    unwatch(taskId) {
      watchers.delete(taskId);
    },
    close: () => nats.drain(),
  };
}
