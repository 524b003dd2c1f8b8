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

/** `offset` query parameter: an integer ≥ 0, else 400 `Invalid offset parameter`. */
export function PageOffset(description?: string): PropertyDecorator {
  const message = { message: 'Invalid offset parameter' };
  return all(ApiPropertyOptional({ minimum: 0, default: 0, description }), Min(0, message), IsInt(message), Transform(toInt), IsOptional());
}
