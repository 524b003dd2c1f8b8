import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { EVENT_TYPES } from '@shannon/contracts';
import { GATEWAY_VERSION } from './health/health.controller';

/** The OpenAPI document, generated from the controllers and the DTOs of libs/contracts. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Shannon Gateway API')
    .setDescription('Submit agent tasks, follow them, and read their results. Wire-compatible with Shannon.')
    .setVersion(GATEWAY_VERSION)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'apiKey')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, EventType: { type: 'string', enum: [...EVENT_TYPES] } },
  };
  return document;
}
