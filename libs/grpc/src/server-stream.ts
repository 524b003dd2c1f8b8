import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { Observable } from 'rxjs';

/** What a server-streaming handler needs of grpc-js's call: its write buffer and its events. */
export interface GrpcServerCall {
  readonly writableNeedDrain: boolean;
  once(event: 'drain' | 'cancelled', listener: () => void): unknown;
  off(event: 'drain' | 'cancelled', listener: () => void): unknown;
}

/** gRPC handler parameter: the grpc-js call itself (the third argument Nest passes). */
export const GrpcCall = createParamDecorator((_data: unknown, ctx: ExecutionContext): GrpcServerCall => ctx.getArgByIndex<GrpcServerCall>(2));

/**
 * A server stream that pulls the next item only when the call can take it. Nest writes an
 * Observable's items to the call and keeps whatever the call cannot take yet in an unbounded
 * queue; pulling from `open` only while the call's buffer has room keeps a slow reader from
 * growing this process's memory. The signal aborts when the caller goes away (or the
 * subscription ends), so `open` can release what it holds.
 */
export function backpressuredStream<T>(open: (signal: AbortSignal) => AsyncIterable<T>, call: GrpcServerCall): Observable<T> {
  return new Observable<T>((subscriber) => {
    const abort = new AbortController();
    const pump = async () => {
      for await (const item of open(abort.signal)) {
        if (abort.signal.aborted) {
          return;
        }
        if (call.writableNeedDrain) {
          await drained(call, abort.signal);
        }
        if (abort.signal.aborted) {
          return;
        }
        subscriber.next(item);
      }
      subscriber.complete();
    };
    pump().catch((error: unknown) => subscriber.error(error));
    return () => abort.abort();
  });
}

function drained(call: GrpcServerCall, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      call.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    call.once('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
