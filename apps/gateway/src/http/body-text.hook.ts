import { BadRequestException, type LoggerService } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { sendHttpError } from './http-exception.filter';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** Keys are named in messages up to this many characters. */
const SHOWN_KEY_LENGTH = 64;

/** A key as JSON text (escapes make NUL and lone surrogates visible), shortened if long. */
function quoted(key: string): string {
  return JSON.stringify(key.length > SHOWN_KEY_LENGTH ? `${key.slice(0, SHOWN_KEY_LENGTH)}…` : key);
}

/** `context.a`, `context["a b"]`, `context.items[2]`: where a value sits in the body, as a client would write it. */
function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') {
    return `${parent}[${key}]`;
  }
  if (!IDENTIFIER.test(key) || key.length > SHOWN_KEY_LENGTH) {
    return `${parent}[${quoted(key)}]`;
  }
  return parent ? `${parent}.${key}` : key;
}

/** What is wrong with `text` as stored text (PostgreSQL refuses NUL in text and jsonb, and lone surrogates in jsonb), if anything. */
function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) {
    return 'must not contain the NUL character';
  }
  if (!text.isWellFormed()) {
    return 'must be well-formed Unicode text';
  }
  return undefined;
}

/** A value met in the walk; where it sits is worked out only for the one that has a problem. */
interface Visit {
  value: unknown;
  parent?: Visit;
  key?: string | number;
}

/** `context.items[2]`: the path of a visit, from the body down (the empty string for the body itself). */
function pathOf(visit: Visit): string {
  const keys: (string | number)[] = [];
  for (let at: Visit | undefined = visit; at?.parent; at = at.parent) {
    keys.push(at.key as string | number);
  }
  return keys.reduceRight<string>((path, key) => childPath(path, key), '');
}

/**
 * The first string or key of a parsed JSON body that cannot be stored as text, as a message naming
 * where it is (`context.a must not contain the NUL character`, `a key of context must be
 * well-formed Unicode text: "\ud83d"`); undefined when every one can. The walk keeps its own
 * stack, so no nesting makes it overflow.
 */
export function findIllFormedText(body: unknown): string | undefined {
  const pending: Visit[] = [{ value: body }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    const { value } = visit;
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) {
        return `${pathOf(visit) || 'the request body'} ${problem}`;
      }
    } else if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--) {
        pending.push({ value: value[index], parent: visit, key: index });
      }
    } else if (value && typeof value === 'object') {
      const entries = Object.entries(value);
      for (const [key] of entries) {
        const problem = textProblem(key);
        if (problem) {
          return `a key of ${pathOf(visit) || 'the request body'} ${problem}: ${quoted(key)}`;
        }
      }
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, child] = entries[index];
        pending.push({ value: child, parent: visit, key });
      }
    }
  }
  return undefined;
}

/**
 * A JSON body holding a string or key that PostgreSQL cannot store (a NUL character, a lone UTF-16
 * surrogate) is refused with a 400 naming where, on every route and before any route reads it: such
 * text would otherwise fail deep in a service after earlier steps had stored something, or be
 * silently replaced by U+FFFD on its way over gRPC.
 */
export function refuseIllFormedText(fastify: FastifyInstance, logger: LoggerService): void {
  fastify.addHook('preValidation', async (request, reply) => {
    const problem = findIllFormedText(request.body);
    if (problem) {
      sendHttpError(reply, new BadRequestException({ error: problem }), logger);
      return reply;
    }
    return undefined;
  });
}
