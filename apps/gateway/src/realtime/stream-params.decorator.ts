import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** What a streaming request says about what to stream, as sent (checked by parseStreamRequest). */
export interface StreamParams {
  workflowId: unknown;
  types: unknown;
  lastEventIdQuery: unknown;
  lastEventIdHeader: unknown;
}

/** Route parameter: `workflow_id`, `types`, `last_event_id` and the `Last-Event-ID` header. */
export const StreamParams = createParamDecorator((_data: unknown, context: ExecutionContext): StreamParams => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const query = (request.query ?? {}) as Record<string, unknown>;
  return { workflowId: query['workflow_id'], types: query['types'], lastEventIdQuery: query['last_event_id'], lastEventIdHeader: request.headers['last-event-id'] };
});
