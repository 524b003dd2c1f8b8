import { ErrorCode } from './error-code';

/** The one error type services throw; transports map its code, never its message. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string) {
    super(ErrorCode.ValidationFailed, message);
  }
}

export class NotFoundError extends AppError {
  constructor(code: ErrorCode.TaskNotFound | ErrorCode.SessionNotFound | ErrorCode.NotFound, message: string) {
    super(code, message);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message: string) {
    super(ErrorCode.Unauthenticated, message);
  }
}

export class FailedPreconditionError extends AppError {
  constructor(message: string) {
    super(ErrorCode.FailedPrecondition, message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(ErrorCode.Conflict, message);
  }
}

export class RateLimitedError extends AppError {
  constructor(message: string) {
    super(ErrorCode.RateLimited, message);
  }
}

export class IdempotencyConflictError extends AppError {
  constructor(message = 'Idempotency-Key reused with a different request') {
    super(ErrorCode.IdempotencyConflict, message);
  }
}
