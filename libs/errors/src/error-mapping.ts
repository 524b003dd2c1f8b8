import { ErrorCode } from './error-code';
import { GrpcStatus } from './grpc-status';

function assertUnreachable(value: never): never {
  throw new Error(`Unmapped value: ${String(value)}`);
}

/** Service side: the gRPC status an error code travels with. */
export function errorCodeToGrpcStatus(code: ErrorCode): GrpcStatus {
  switch (code) {
    case ErrorCode.ValidationFailed:
      return GrpcStatus.INVALID_ARGUMENT;
    case ErrorCode.Unauthenticated:
      return GrpcStatus.UNAUTHENTICATED;
    case ErrorCode.Forbidden:
      return GrpcStatus.PERMISSION_DENIED;
    case ErrorCode.TaskNotFound:
    case ErrorCode.SessionNotFound:
    case ErrorCode.NotFound:
      return GrpcStatus.NOT_FOUND;
    case ErrorCode.Conflict:
      return GrpcStatus.ALREADY_EXISTS;
    case ErrorCode.FailedPrecondition:
    case ErrorCode.IdempotencyConflict:
      return GrpcStatus.FAILED_PRECONDITION;
    case ErrorCode.RateLimited:
      return GrpcStatus.RESOURCE_EXHAUSTED;
    case ErrorCode.Unavailable:
      return GrpcStatus.UNAVAILABLE;
    case ErrorCode.Internal:
      return GrpcStatus.INTERNAL;
    default:
      return assertUnreachable(code);
  }
}

/**
 * Gateway side: the HTTP status of an error whose code is known (ours, or read from the call's
 * trailers). More precise than the gRPC status alone (422 has no gRPC status of its own).
 */
export function errorCodeToHttpStatus(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.IdempotencyConflict:
      return 422;
    case ErrorCode.ValidationFailed:
    case ErrorCode.Unauthenticated:
    case ErrorCode.Forbidden:
    case ErrorCode.TaskNotFound:
    case ErrorCode.SessionNotFound:
    case ErrorCode.NotFound:
    case ErrorCode.Conflict:
    case ErrorCode.FailedPrecondition:
    case ErrorCode.RateLimited:
    case ErrorCode.Unavailable:
    case ErrorCode.Internal:
      return grpcStatusToHttpStatus(errorCodeToGrpcStatus(code));
    default:
      return assertUnreachable(code);
  }
}

/** Gateway side: the HTTP status a gRPC status becomes. */
export function grpcStatusToHttpStatus(status: GrpcStatus): number {
  switch (status) {
    case GrpcStatus.OK:
      return 200;
    case GrpcStatus.INVALID_ARGUMENT:
    case GrpcStatus.OUT_OF_RANGE:
      return 400;
    case GrpcStatus.UNAUTHENTICATED:
      return 401;
    case GrpcStatus.PERMISSION_DENIED:
      return 403;
    case GrpcStatus.NOT_FOUND:
      return 404;
    case GrpcStatus.ALREADY_EXISTS:
    case GrpcStatus.ABORTED:
    case GrpcStatus.FAILED_PRECONDITION:
      return 409;
    case GrpcStatus.RESOURCE_EXHAUSTED:
      return 429;
    case GrpcStatus.CANCELLED:
      return 499;
    case GrpcStatus.UNIMPLEMENTED:
      return 501;
    case GrpcStatus.UNAVAILABLE:
      return 503;
    case GrpcStatus.DEADLINE_EXCEEDED:
      return 504;
    case GrpcStatus.UNKNOWN:
    case GrpcStatus.INTERNAL:
    case GrpcStatus.DATA_LOSS:
      return 500;
    default:
      return assertUnreachable(status);
  }
}
