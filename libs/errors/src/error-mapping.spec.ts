import { ErrorCode } from './error-code';
import { errorCodeToGrpcStatus, errorCodeToHttpStatus, grpcStatusToHttpStatus } from './error-mapping';
import { GrpcStatus } from './grpc-status';

describe('error mapping', () => {
  it.each([
    [ErrorCode.ValidationFailed, 400],
    [ErrorCode.Unauthenticated, 401],
    [ErrorCode.Forbidden, 403],
    [ErrorCode.TaskNotFound, 404],
    [ErrorCode.SessionNotFound, 404],
    [ErrorCode.NotFound, 404],
    [ErrorCode.Conflict, 409],
    [ErrorCode.FailedPrecondition, 409],
    [ErrorCode.RateLimited, 429],
    [ErrorCode.Unavailable, 503],
    [ErrorCode.Internal, 500],
  ])('%s reaches the client as HTTP %i', (code, http) => {
    expect(grpcStatusToHttpStatus(errorCodeToGrpcStatus(code))).toBe(http);
    expect(errorCodeToHttpStatus(code)).toBe(http);
  });

  it('answers 422 for a reused Idempotency-Key, which travels as FAILED_PRECONDITION', () => {
    expect(errorCodeToGrpcStatus(ErrorCode.IdempotencyConflict)).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect(errorCodeToHttpStatus(ErrorCode.IdempotencyConflict)).toBe(422);
  });

  it('maps every error code and every gRPC status', () => {
    for (const code of Object.values(ErrorCode)) {
      expect(() => errorCodeToGrpcStatus(code)).not.toThrow();
      expect(errorCodeToHttpStatus(code)).toBeGreaterThanOrEqual(400);
    }
    const statuses = Object.values(GrpcStatus).filter((v): v is GrpcStatus => typeof v === 'number');
    expect(statuses).toHaveLength(17);
    for (const status of statuses) {
      expect(grpcStatusToHttpStatus(status)).toBeGreaterThanOrEqual(200);
    }
  });

  it('rejects a value outside the enums', () => {
    expect(() => errorCodeToGrpcStatus('NOPE' as ErrorCode)).toThrow('Unmapped value: NOPE');
    expect(() => grpcStatusToHttpStatus(99 as GrpcStatus)).toThrow('Unmapped value: 99');
  });
});
