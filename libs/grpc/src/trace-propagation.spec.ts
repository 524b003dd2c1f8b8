import { Metadata } from '@grpc/grpc-js';
import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { currentTrace, type TraceContext } from '@shannon/logging';
import { defer, firstValueFrom, of } from 'rxjs';
import { traceFromMetadata, TraceServerInterceptor } from './trace-propagation';

const PARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

function rpcContext(metadata: Metadata): ExecutionContext {
  return { switchToRpc: () => ({ getContext: () => metadata }) } as unknown as ExecutionContext;
}

describe(TraceServerInterceptor.name, () => {
  const sut = new TraceServerInterceptor();
  const handlerSeeingTrace: CallHandler = { handle: () => defer(() => of(currentTrace())) };

  it('runs the handler in a new span of the caller’s trace', async () => {
    const metadata = new Metadata();
    metadata.set('traceparent', PARENT);
    metadata.set('tracestate', 'vendor=value');
    const seen = (await firstValueFrom(sut.intercept(rpcContext(metadata), handlerSeeingTrace))) as TraceContext;
    expect(seen).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', flags: '01', tracestate: 'vendor=value' });
    expect(seen.spanId).not.toBe('00f067aa0ba902b7');
  });

  it('starts a new trace when the call has none or a malformed one', async () => {
    const metadata = new Metadata();
    metadata.set('traceparent', 'garbage');
    const seen = (await firstValueFrom(sut.intercept(rpcContext(metadata), handlerSeeingTrace))) as TraceContext;
    expect(seen.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(seen.traceId).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });
});

describe(traceFromMetadata.name, () => {
  it('reads the caller’s context as sent', () => {
    const metadata = new Metadata();
    metadata.set('traceparent', PARENT);
    expect(traceFromMetadata(metadata)).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', flags: '01', tracestate: undefined });
    expect(traceFromMetadata(new Metadata())).toBeUndefined();
  });
});
