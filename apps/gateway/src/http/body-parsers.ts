import { BadRequestException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyBodyParser, FastifyInstance } from 'fastify';
import { parse as parseForm } from 'node:querystring';

export const FORBIDDEN_KEYS_MESSAGE = 'Invalid request body: "__proto__" and "constructor.prototype" keys are not allowed';

/** Whether `text` is JSON to a plain parser (which keeps `__proto__` as an ordinary key). */
function isJson(text: string): boolean {
  try {
    JSON.parse(text.replace(/^\uFEFF/, ''));
    return true;
  } catch {
    return false;
  }
}

/**
 * Fastify's JSON parser, as Nest registers it, refusing `__proto__` and `constructor.prototype`
 * keys (prototype poisoning); but where Fastify answers such a body, valid JSON, as "not valid
 * JSON", this one says which keys are not allowed. The body is parsed again only when refused.
 */
export function jsonBodyParser(fastify: FastifyInstance): FastifyBodyParser<Buffer> {
  const parseSecurely = fastify.getDefaultJsonParser('error', 'error');
  return (request, body, done) => {
    const text = body.toString('utf8');
    void parseSecurely(request, text, (error, value) => {
      if (error && isJson(text)) {
        done(new BadRequestException({ error: FORBIDDEN_KEYS_MESSAGE }), undefined);
      } else {
        done(error, value);
      }
    });
  };
}

/**
 * JSON bodies through `jsonBodyParser`. Nest registers its own parsers (JSON and forms) only when
 * none is registered, so forms keep Nest's: a query string read into an object.
 */
export function registerBodyParsers(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const { bodyLimit } = fastify.initialConfig;
  app.useBodyParser('application/json', { bodyLimit }, jsonBodyParser(fastify));
  app.useBodyParser('application/x-www-form-urlencoded', { bodyLimit }, (_request, body, done) => done(null, parseForm(body.toString('utf8'))));
}
