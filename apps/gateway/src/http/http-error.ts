import { HttpException } from '@nestjs/common';
import { AppError, ErrorCode, errorCodeToHttpStatus, grpcStatusToHttpStatus } from '@shannon/errors';
import { ConnectError } from '@connectrpc/connect';
import { describeRemoteError } from '@shannon/grpc';

export interface HttpErrorBody {
  error: string;
  code?: string;
  error_id?: string;
}

export interface HttpError {
  status: number;
  body: HttpErrorBody;
  /** Whether the error is ours to investigate (logged with its stack). */
  unexpected: boolean;
}

const STATUS_MESSAGES: Record<number, string> = {
  400: 'Bad request',
  401: 'Authentication required',
  404: 'Not found',
  405: 'Method not allowed',
  413: 'Request body too large',
  415: 'Unsupported content type: use application/json',
};

/**
 * One mapping from anything thrown while serving a request to the public error shape
 * `{"error": "<human message>", "code"?}`: our own errors by code, internal gRPC failures by
 * status, Nest and Fastify errors by their HTTP status; anything else is a 500 with an error id.
 */
export function toHttpError(exception: unknown, errorId: string): HttpError {
  if (exception instanceof AppError) {
    return { status: errorCodeToHttpStatus(exception.code), body: publicBody(exception.code, exception.message), unexpected: false };
  }
  if (exception instanceof ConnectError) {
    const remote = describeRemoteError(exception);
    // A code sent by the service is more precise than its status (422); without one, the status decides.
    const status = remote.code === ErrorCode.Internal || remote.code === ErrorCode.Unavailable ? grpcStatusToHttpStatus(remote.status) : errorCodeToHttpStatus(remote.code);
    if (status >= 500 && remote.code !== ErrorCode.Unavailable) {
      return { status: 500, body: { error: `Internal error (error_id ${errorId})`, code: ErrorCode.Internal, error_id: errorId }, unexpected: true };
    }
    const message = remote.code === ErrorCode.Unavailable ? 'A backing service is unavailable; try again shortly' : remote.message;
    return { status, body: publicBody(remote.code, message), unexpected: status >= 500 };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return { status, body: { error: httpExceptionMessage(exception, status) }, unexpected: false };
  }
  const status = (exception as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, body: { error: fastifyMessage(exception as Error, status) }, unexpected: false };
  }
  return { status: 500, body: { error: `Internal error (error_id ${errorId})`, code: ErrorCode.Internal, error_id: errorId }, unexpected: true };
}

/** 401 bodies are exactly `{"error": "..."}` (Shannon's clients compare them); others carry our code too. */
function publicBody(code: ErrorCode, message: string): HttpErrorBody {
  return code === ErrorCode.Unauthenticated ? { error: message } : { error: message, code };
}

function httpExceptionMessage(exception: HttpException, status: number): string {
  if (status === 404) {
    return 'Not found';
  }
  const response = exception.getResponse();
  if (typeof response === 'object' && response && 'error' in response && typeof response.error === 'string' && !('statusCode' in response)) {
    return response.error;
  }
  const message = typeof response === 'string' ? response : typeof response === 'object' && response && 'message' in response ? response.message : undefined;
  if (status === 400 && typeof message === 'string') {
    // Nest's own 400s (a body that is not valid JSON) carry the parser's message.
    return `Invalid request body: ${message}`;
  }
  return STATUS_MESSAGES[status] ?? exception.message;
}

function fastifyMessage(error: Error & { code?: string }, status: number): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return `Invalid request body: ${error.message}`;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return STATUS_MESSAGES[415];
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return STATUS_MESSAGES[413];
    case 'FST_ERR_BAD_URL':
      return 'Invalid URL: the path is not valid percent-encoding';
    default:
      return error instanceof SyntaxError ? `Invalid request body: ${error.message}` : (STATUS_MESSAGES[status] ?? error.message);
  }
}
