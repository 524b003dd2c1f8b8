import { UnsupportedMediaTypeException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { useInternalAuthSecret } from '@shannon/auth';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import type { GatewayConfig } from './config';
import { acceptBodilessDeletes } from './http/bodiless-delete.hook';
import { corsOptions } from './http/cors-options';
import { sendHttpError } from './http/http-exception.filter';
import { registerRequestTracing } from './http/request-tracing';
import { createValidationPipe } from './http/validation.pipe';
import { collectProcessMetrics } from './metrics/process-metrics';
import { buildOpenApiDocument } from './openapi';
import { WebSocketUpgrades } from './realtime/websocket-upgrades';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

function isEmptyBody(headers: Record<string, string | string[] | undefined>): boolean {
  return headers['content-length'] === '0' || (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined);
}

/** Builds the gateway application (used by main.ts and by tests). */
export async function createGateway(config: GatewayConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: config.BODY_LIMIT_BYTES, trustProxy: config.TRUST_PROXY, routerOptions: { maxParamLength: 256 } });
  collectProcessMetrics();
  useInternalAuthSecret(config.INTERNAL_AUTH_SECRET);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  const fastify = app.getHttpAdapter().getInstance();
  // First: every response, whatever answers it, names its trace.
  registerRequestTracing(fastify);
  // CORS answers preflight requests before authentication.
  app.enableCors(corsOptions(config));
  // The API speaks JSON only: any other body answers 415 instead of reaching validation as a string.
  fastify.addHook('preParsing', async (request, reply, payload) => {
    const contentType = request.headers['content-type'];
    if (contentType && isEmptyBody(request.headers)) {
      // `curl -X POST -H 'Content-Type: application/json'` with no body (cancel, pause...) is fine.
      delete request.headers['content-type'];
      return payload;
    }
    if (BODY_METHODS.has(request.method) && contentType && !/^application\/json\b/i.test(contentType)) {
      sendHttpError(reply, new UnsupportedMediaTypeException(), logger);
      return reply;
    }
    return payload;
  });
  acceptBodilessDeletes(fastify);
  app.get(WebSocketUpgrades).attach(fastify);
  const document = buildOpenApiDocument(app);
  fastify.get('/openapi.json', (_request, reply) => {
    void reply.header('Access-Control-Allow-Origin', '*').send(document);
  });
  return app;
}
