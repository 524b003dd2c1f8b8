// The floor's edge: a bare Fastify route that makes a submit's two calls in turn (the session's
// turn, then the task), each a grpc-js unary call to a hop that commits one row. Arguments: port,
// session hop address, task hop address.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import Fastify from 'fastify';
import { HOP_SERVICE } from './hop-service.mjs';

const require = createRequire(import.meta.url);
const grpc = require('@grpc/grpc-js');

const [port, sessionHop, taskHop] = process.argv.slice(2);
const Hop = grpc.makeGenericClientConstructor(HOP_SERVICE, 'Hop');
const hops = [new Hop(sessionHop, grpc.credentials.createInsecure()), new Hop(taskHop, grpc.credentials.createInsecure())];
const call = (hop, request) => new Promise((resolve, reject) => hop.insert(request, (error, answer) => (error ? reject(error) : resolve(answer))));

const app = Fastify({ logger: false });
app.post('/submit', async (request, reply) => {
  const id = randomUUID();
  const body = Buffer.from(JSON.stringify({ id, query: request.body.query }));
  for (const hop of hops) {
    await call(hop, body);
  }
  reply.code(201);
  return { task_id: id, status: 'QUEUED' };
});
await app.listen({ port: Number(port), host: '127.0.0.1' });
process.send?.('ready');
