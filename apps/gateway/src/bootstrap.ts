import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { useInternalAuthSecret } from '@shannon/auth';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import type { GatewayConfig } from './config';
import { refuseDeepBodies } from './http/body-depth.hook';
import { registerBodyParsers } from './http/body-parsers';
import { refuseIllFormedText } from './http/body-text.hook';
import { answerClientError } from './http/client-errors';
import { corsOptions } from './http/cors-options';
import { acceptJsonBodies } from './http/json-bodies.hook';
import { answerFrameworkError } from './http/framework-errors';
import { registerRequestTracing } from './http/request-tracing';
import { createValidationPipe } from './http/validation.pipe';
import { collectProcessMetrics } from './metrics/process-metrics';
import { buildOpenApiDocument } from './openapi';
import { WebSocketUpgrades } from './realtime/websocket-upgrades';

/** Node's default limit on a request's headers, request line included (16 KiB). */
const MAX_PARAM_LENGTH = 16 * 1024;

/** Builds the gateway application (used by main.ts and by tests). */
export async function createGateway(config: GatewayConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    // Longer than any request line Node accepts: an over-long id reaches its route and is refused there by name.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: answerFrameworkError,
    // Requests Node cannot read (malformed framing or headers) are answered in the public error shape too.
    clientErrorHandler: answerClientError,
  });
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
  registerBodyParsers(app);
  acceptJsonBodies(fastify, logger);
  refuseDeepBodies(fastify, logger);
  refuseIllFormedText(fastify, logger);
  app.get(WebSocketUpgrades).attach(fastify);
  const document = buildOpenApiDocument(app);
  fastify.get('/openapi.json', (_request, reply) => {
    void reply.header('Access-Control-Allow-Origin', '*').send(document);
  });
  return app;
}
