import { Metadata } from '@grpc/grpc-js';
import { ArgumentsHost, Catch, Logger, RpcExceptionFilter } from '@nestjs/common';
import { AppError, errorCodeToGrpcStatus, ErrorCode, GrpcStatus } from '@shannon/errors';
import { randomUUID } from 'node:crypto';
import { Observable, throwError } from 'rxjs';

export const ERROR_CODE_METADATA_KEY = 'x-error-code';

/** Turns AppErrors into gRPC statuses with the code in trailers; anything else is INTERNAL. */
@Catch()
export class GrpcExceptionFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger(GrpcExceptionFilter.name);

  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    if (exception instanceof AppError) {
      return throwError(() => grpcError(exception.code, exception.message));
    }
    const errorId = randomUUID();
    this.logger.error({ err: exception, errorId }, 'Unhandled error in gRPC handler');
    return throwError(() => grpcError(ErrorCode.Internal, `Internal error (error_id ${errorId})`));
  }
}

function grpcError(code: ErrorCode, message: string) {
  const metadata = new Metadata();
  metadata.set(ERROR_CODE_METADATA_KEY, code);
  return { code: errorCodeToGrpcStatus(code) as GrpcStatus, message, details: message, metadata };
}
