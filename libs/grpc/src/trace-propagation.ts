import type { Metadata } from '@grpc/grpc-js';
import { type CallHandler, createParamDecorator, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { continueTrace, parseTraceparent, runWithTrace, TRACEPARENT_HEADER, type TraceContext, TRACESTATE_HEADER } from '@shannon/logging';
import { Observable } from 'rxjs';

function metadataValue(metadata: Pick<Metadata, 'get'> | undefined, key: string): string | undefined {
  const value = metadata?.get(key)[0];
  return typeof value === 'string' ? value : undefined;
}

/** The trace context a call came with (the caller's span), or undefined when none or malformed. */
export function traceFromMetadata(metadata: Pick<Metadata, 'get'> | undefined): TraceContext | undefined {
  return parseTraceparent(metadataValue(metadata, TRACEPARENT_HEADER), metadataValue(metadata, TRACESTATE_HEADER));
}

/**
 * Server side: each call runs inside its own span of the caller's trace (or a new trace), so its
 * log lines name the trace and the calls and messages it sends continue it.
 */
@Injectable()
export class TraceServerInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const metadata = context.switchToRpc().getContext<Metadata | undefined>();
    const trace = continueTrace(metadataValue(metadata, TRACEPARENT_HEADER), metadataValue(metadata, TRACESTATE_HEADER));
    // The handler runs when the stream is subscribed to, so the subscription is what runs inside the trace.
    return new Observable((subscriber) => runWithTrace(trace, () => next.handle().subscribe(subscriber)));
  }
}

/** gRPC handler parameter: the trace context the call came with (undefined when none). */
export const CallTrace = createParamDecorator((_data: unknown, ctx: ExecutionContext): TraceContext | undefined =>
  traceFromMetadata(ctx.switchToRpc().getContext<Metadata>()),
);
