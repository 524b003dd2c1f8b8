import type { DescService } from '@bufbuild/protobuf';
import { type Client, Code, ConnectError, createClient } from '@connectrpc/connect';
import { ErrorCode, GrpcStatus, isErrorCode } from '@shannon/errors';
import { ERROR_CODE_METADATA_KEY } from './grpc-exception.filter';
import { GrpcJsTransport } from './grpc-js-transport';

export type GrpcClient<S extends DescService> = Client<S>;

/** A typed client for one internal service (Connect's client API on a grpc-js channel); calls carry the current trace. */
export function createGrpcClient<S extends DescService>(service: S, baseUrl: string): GrpcClient<S> {
  return createClient(service, new GrpcJsTransport(baseUrl));
}

export interface RemoteError {
  status: GrpcStatus;
  code: ErrorCode;
  message: string;
}

/** What a failed call says: its gRPC status, our error code (from trailers) and the message. */
export function describeRemoteError(error: unknown): RemoteError {
  const connectError = ConnectError.from(error);
  const status = connectError.code as number as GrpcStatus;
  const sentCode = connectError.metadata.get(ERROR_CODE_METADATA_KEY);
  const code = isErrorCode(sentCode) ? sentCode : fallbackCode(connectError.code);
  return { status, code, message: connectError.rawMessage };
}

function fallbackCode(code: Code): ErrorCode {
  return code === Code.Unavailable || code === Code.DeadlineExceeded ? ErrorCode.Unavailable : ErrorCode.Internal;
}
