// A floor hop: a bare grpc-js server whose one call commits one row (and, for the task hop,
// publishes a work message to JetStream after the commit without holding the answer for it,
// as the task service's relay does). Arguments: port, database URL, table, [stream subject].
import { createRequire } from 'node:module';
import { HOP_SERVICE } from './hop-service.mjs';

const require = createRequire(import.meta.url);
const grpc = require('@grpc/grpc-js');
const { Pool } = require('pg');
const { connect } = require('@nats-io/transport-node');
const { jetstream } = require('@nats-io/jetstream');

const [port, databaseUrl, table, subject] = process.argv.slice(2);
const pool = new Pool({ connectionString: databaseUrl, max: 10 });
const js = subject ? jetstream(await connect({ servers: '127.0.0.1:4222', name: `bench-floor-${table}` })) : undefined;
const insert = `INSERT INTO ${table} (id, body) VALUES ($1::uuid, $2::jsonb)`;

const server = new grpc.Server();
server.addService(HOP_SERVICE, {
  insert(call, callback) {
    const body = call.request.toString();
    const request = JSON.parse(body);
    pool.query(insert, [request.id, body]).then(
      () => {
        callback(null, Buffer.alloc(0));
        js?.publish(subject, request.id, { msgId: request.id }).catch((error) => console.error(`publish: ${error.message}`));
      },
      (error) => callback({ code: grpc.status.INTERNAL, details: error.message }),
    );
  },
});
server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error) => {
  if (error) {
    throw error;
  }
  process.send?.('ready');
});
