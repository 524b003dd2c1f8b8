import type { FastifyInstance } from 'fastify';

/**
 * Clients send `Content-Type: application/json` on a DELETE without a body (Shannon's Python SDK
 * does on every call); Fastify would refuse that as an empty JSON body. Such a request carries
 * nothing to parse, so its content type is dropped before parsing.
 */
export function acceptBodilessDeletes(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request) => {
    const length = request.headers['content-length'];
    if (request.method === 'DELETE' && (length === undefined || length === '0') && !request.headers['transfer-encoding']) {
      delete request.headers['content-type'];
    }
  });
}
