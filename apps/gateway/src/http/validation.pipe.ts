import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

/** The first constraint message of each invalid field, in field order. */
export function validationMessages(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [Object.values(error.constraints)[0]] : [];
    return [...own, ...validationMessages(error.children ?? [], path)];
  });
}

/** Validates DTOs; bad input answers 400 `{"error": "<first problem>", "details": [...]}`. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidUnknownValues: false,
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const messages = validationMessages(errors);
      return new BadRequestException({ error: messages[0] ?? 'Invalid request', details: messages });
    },
  });
}
