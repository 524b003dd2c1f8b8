import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);

function all(...decorators: PropertyDecorator[]): PropertyDecorator {
  // Applied last to first, as stacked decorators are.
  return (target, key) => [...decorators].reverse().forEach((decorate) => decorate(target, key));
}

/** `limit` query parameter: an integer 1..max, else 400 `Invalid limit parameter`. */
export function PageLimit(max: number, fallback: number, description?: string): PropertyDecorator {
  const message = { message: 'Invalid limit parameter' };
  return all(ApiPropertyOptional({ minimum: 1, maximum: max, default: fallback, description }), Max(max, message), Min(1, message), IsInt(message), Transform(toInt), IsOptional());
}

/**
 * The largest `offset` a list takes: the largest PostgreSQL `integer` (2^31 - 1), far past any
 * page a list holds. Offsets travel as protobuf uint32, which stops at 2^32 - 1: a larger one was
 * a 500.
 */
export const MAX_PAGE_OFFSET = 2_147_483_647;

/** `offset` query parameter: an integer 0..MAX_PAGE_OFFSET, else 400 `Invalid offset parameter`. */
export function PageOffset(description?: string): PropertyDecorator {
  const message = { message: 'Invalid offset parameter' };
  return all(
    ApiPropertyOptional({ minimum: 0, maximum: MAX_PAGE_OFFSET, default: 0, description }),
    Max(MAX_PAGE_OFFSET, message),
    Min(0, message),
    IsInt(message),
    Transform(toInt),
    IsOptional(),
  );
}
