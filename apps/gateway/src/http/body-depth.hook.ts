import { BadRequestException, type LoggerService } from '@nestjs/common';
import { exceedsJsonDepth, MAX_CONTEXT_DEPTH } from '@shannon/contracts';
import type { FastifyInstance } from 'fastify';
import { sendHttpError } from './http-exception.filter';

/**
 * Levels of objects and arrays a JSON body may nest, itself the first: twice what the deepest
 * field takes (`context`, MAX_CONTEXT_DEPTH), so a field's own limit names the field, and far
 * below the thousands of levels at which validation (Nest's pipe, class-transformer) overflows
 * its stack.
 */
export const MAX_BODY_DEPTH = 2 * MAX_CONTEXT_DEPTH;

/**
 * A JSON body nested deeper than MAX_BODY_DEPTH is refused with a 400 on every route, before
 * anything walks it recursively: such a body made validation overflow the stack (a 500).
 */
export function refuseDeepBodies(fastify: FastifyInstance, logger: LoggerService): void {
  fastify.addHook('preValidation', async (request, reply) => {
    if (exceedsJsonDepth(request.body, MAX_BODY_DEPTH)) {
      sendHttpError(reply, new BadRequestException({ error: `Request body is nested too deeply (at most ${MAX_BODY_DEPTH} levels)` }), logger);
      return reply;
    }
    return undefined;
  });
}
