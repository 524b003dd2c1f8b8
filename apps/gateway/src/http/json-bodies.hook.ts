import { type LoggerService, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sendHttpError } from './http-exception.filter';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const JSON_TYPE = /^application\/json\b/i;
/**
 * What `curl -d` sends unless told otherwise. The seeds' curl examples post JSON that way (seed
 * 001's Idempotency-Key example has no Content-Type), and Shannon reads every body as JSON.
 */
const CURL_DEFAULT_TYPE = /^application\/x-www-form-urlencoded\b/i;

function isEmptyBody(request: FastifyRequest): boolean {
  const { headers } = request;
  return headers['content-length'] === '0' || (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined);
}

/**
 * The API speaks JSON only. A body sent as JSON, as curl's default form type or with no type at
 * all is parsed as JSON (a body that is not JSON is then a 400 naming the problem); any other
 * type answers 415 instead of reaching validation as a string. A declared type on an empty body
 * (`curl -X POST -H 'Content-Type: application/json'` on cancel, pause...; Shannon's Python SDK on
 * every DELETE) is no body at all, whatever the method.
 */
export function acceptJsonBodies(fastify: FastifyInstance, logger: LoggerService): void {
  fastify.addHook('preParsing', async (request, reply, payload) => {
    const contentType = request.headers['content-type'];
    if (isEmptyBody(request)) {
      delete request.headers['content-type'];
      return payload;
    }
    if (!BODY_METHODS.has(request.method) || (contentType && JSON_TYPE.test(contentType))) {
      return payload;
    }
    if (!contentType || CURL_DEFAULT_TYPE.test(contentType)) {
      request.headers['content-type'] = 'application/json';
      return payload;
    }
    sendHttpError(reply, new UnsupportedMediaTypeException(), logger);
    return reply;
  });
}
