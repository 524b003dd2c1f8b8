import { Code, ConnectError } from '@connectrpc/connect';
import { ErrorCode, GrpcStatus } from '@shannon/errors';
import { describeRemoteError } from './grpc-client';
import { ERROR_CODE_METADATA_KEY } from './grpc-exception.filter';

describe(describeRemoteError.name, () => {
  it('reads our error code from the trailers', () => {
    const error = new ConnectError('Task not found', Code.NotFound, { [ERROR_CODE_METADATA_KEY]: ErrorCode.TaskNotFound });
    expect(describeRemoteError(error)).toEqual({ status: GrpcStatus.NOT_FOUND, code: ErrorCode.TaskNotFound, message: 'Task not found' });
  });

  it('treats an unreachable service as unavailable and anything else as internal', () => {
    expect(describeRemoteError(new ConnectError('down', Code.Unavailable)).code).toBe(ErrorCode.Unavailable);
    expect(describeRemoteError(new Error('boom')).code).toBe(ErrorCode.Internal);
  });
});
