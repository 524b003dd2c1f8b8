import { registerDecorator, type ValidationArguments, type ValidationOptions, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';

/**
 * Whether `value` nests objects and arrays more than `max` levels deep: `{}` and `[]` are one
 * level, `{"a": {"b": 1}}` two; strings, numbers, booleans and null add none. Stops descending
 * past `max`, so any depth is answered without overflowing the stack.
 */
export function exceedsJsonDepth(value: unknown, max: number): boolean {
  if (value === null || typeof value !== 'object') {
    return false;
  }
  if (max < 1) {
    return true;
  }
  const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
  return children.some((child) => exceedsJsonDepth(child, max - 1));
}

/** The check behind `@MaxJsonDepth(max)`. */
@ValidatorConstraint({ name: 'maxJsonDepth' })
export class MaxJsonDepthConstraint implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const [max] = args.constraints as [number];
    return !exceedsJsonDepth(value, max);
  }

  defaultMessage(args: ValidationArguments): string {
    const [max] = args.constraints as [number];
    return `${args.property} is nested too deeply (at most ${max} levels)`;
  }
}

/**
 * A free-form object may nest objects and arrays at most `max` levels deep (itself the first):
 * deeper values fail where they are decoded (protobuf's recursion limit) or serialized.
 */
export function MaxJsonDepth(max: number, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({ target: target.constructor, propertyName: String(propertyName), options, constraints: [max], validator: MaxJsonDepthConstraint });
}
