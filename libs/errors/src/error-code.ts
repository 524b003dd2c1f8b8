/** Codes that cross service boundaries. Messages are for people; programs read the code. */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  TaskNotFound = 'TASK_NOT_FOUND',
  SessionNotFound = 'SESSION_NOT_FOUND',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  FailedPrecondition = 'FAILED_PRECONDITION',
  RateLimited = 'RATE_LIMITED',
  /** An Idempotency-Key reused with a different request (HTTP 422). */
  IdempotencyConflict = 'IDEMPOTENCY_CONFLICT',
  Unavailable = 'UNAVAILABLE',
  Internal = 'INTERNAL',
}

const CODES = new Set<string>(Object.values(ErrorCode));

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && CODES.has(value);
}
