import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { type sendUnaryData, Server, ServerCredentials, type ServerUnaryCall, type ServerWritableStream, type ServiceDefinition, Metadata, status } from '@grpc/grpc-js';
import { HealthService, StreamingService, type CheckRequest, type SubscribeRequest, type SubscribeResponse, type CheckResponse } from '@shannon/contracts';
import { runWithTrace } from '@shannon/logging';
import { ERROR_CODE_METADATA_KEY } from './grpc-exception.filter';
import { GrpcJsTransport } from './grpc-js-transport';
import { grpcPackageDefinition } from './grpc-package-definition';

/** A real grpc-js server on loopback whose handlers each test sets. */
describe(GrpcJsTransport.name, () => {
  const definition = grpcPackageDefinition([HealthService, StreamingService]);
  let server: Server;
  let baseUrl: string;
  let check: (call: ServerUnaryCall<CheckRequest, unknown>, callback: sendUnaryData<unknown>) => void;
  let subscribe: (call: ServerWritableStream<SubscribeRequest, unknown>) => void;

  beforeAll(async () => {
    server = new Server();
    server.addService(definition[HealthService.typeName] as ServiceDefinition, { Check: (call: ServerUnaryCall<CheckRequest, unknown>, callback: sendUnaryData<unknown>) => check(call, callback) });
    server.addService(definition[StreamingService.typeName] as ServiceDefinition, { Subscribe: (call: ServerWritableStream<SubscribeRequest, unknown>) => subscribe(call) });
    const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))));
    baseUrl = `http://127.0.0.1:${port}`;
  });

  afterAll(() => server.forceShutdown());

  const health = () => createClient(HealthService, new GrpcJsTransport(baseUrl));
  const streaming = () => createClient(StreamingService, new GrpcJsTransport(baseUrl));
  const item = (seq: number): Partial<SubscribeResponse> => ({ item: { case: 'gap', value: { fromSeq: BigInt(seq), toSeq: BigInt(seq), reason: 'test' } } }) as never;

  it('answers a unary call with the typed message and sends the caller’s headers', async () => {
    let seen: Metadata | undefined;
    check = (call, callback) => {
      seen = call.metadata;
      callback(null, { ready: true, checks: { postgres: 'ok' } } satisfies Partial<CheckResponse>);
    };
    const response = await health().check({}, { headers: { 'x-shannon-tenant-id': 't1' } });
    expect(response.ready).toBe(true);
    expect(response.checks).toEqual({ postgres: 'ok' });
    expect(seen?.get('x-shannon-tenant-id')).toEqual(['t1']);
  });

  it('carries the current trace, and keeps a traceparent the caller names', async () => {
    const seen: Metadata[] = [];
    check = (call, callback) => {
      seen.push(call.metadata);
      callback(null, {});
    };
    const trace = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), flags: '01', tracestate: 'v=1' };
    await runWithTrace(trace, () => health().check({}));
    await runWithTrace(trace, () => health().check({}, { headers: { traceparent: `00-${'c'.repeat(32)}-${'d'.repeat(16)}-01` } }));
    await health().check({});
    expect(seen[0].get('traceparent')).toEqual([`00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`]);
    expect(seen[0].get('tracestate')).toEqual(['v=1']);
    expect(seen[1].get('traceparent')).toEqual([`00-${'c'.repeat(32)}-${'d'.repeat(16)}-01`]);
    expect(seen[2].get('traceparent')).toEqual([]);
  });

  it('fails with the status, the message and the trailers the service sent', async () => {
    check = (_call, callback) => {
      const metadata = new Metadata();
      metadata.set(ERROR_CODE_METADATA_KEY, 'TASK_NOT_FOUND');
      callback({ code: status.NOT_FOUND, details: 'Task not found', metadata });
    };
    const error = await health().check({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect(error).toMatchObject({ code: Code.NotFound, rawMessage: 'Task not found' });
    expect((error as ConnectError).metadata.get(ERROR_CODE_METADATA_KEY)).toBe('TASK_NOT_FOUND');
  });

  it('gives up at the timeout, and when the signal aborts', async () => {
    check = () => undefined;
    await expect(health().check({}, { timeoutMs: 50 })).rejects.toMatchObject({ code: Code.DeadlineExceeded });
    const controller = new AbortController();
    const call = health().check({}, { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: Code.Canceled });
    await expect(health().check({}, { signal: controller.signal })).rejects.toMatchObject({ code: Code.Canceled });
  });

  it('says Unavailable when nothing listens', async () => {
    const client = createClient(HealthService, new GrpcJsTransport('http://127.0.0.1:1'));
    await expect(client.check({}, { timeoutMs: 2_000 })).rejects.toMatchObject({ code: Code.Unavailable });
  });

  it('streams a server-streaming call’s messages in order, then a failure as a ConnectError', async () => {
    subscribe = (call) => {
      call.write(item(1));
      call.write(item(2));
      const metadata = new Metadata();
      metadata.set(ERROR_CODE_METADATA_KEY, 'UNAVAILABLE');
      call.emit('error', { code: status.UNAVAILABLE, details: 'shutting down', metadata });
    };
    const received: bigint[] = [];
    const failure = await (async () => {
      for await (const response of streaming().subscribe({ taskId: 't' })) {
        received.push(response.item.case === 'gap' ? response.item.value.fromSeq : -1n);
      }
    })().catch((e: unknown) => e);
    expect(received).toEqual([1n, 2n]);
    expect(failure).toMatchObject({ code: Code.Unavailable, rawMessage: 'shutting down' });
    expect((failure as ConnectError).metadata.get(ERROR_CODE_METADATA_KEY)).toBe('UNAVAILABLE');
  });

  it('cancels the call at the service when the signal aborts', async () => {
    let markCancelled: (taskId: string) => void = () => undefined;
    const cancelled = new Promise<string>((resolve) => (markCancelled = resolve));
    subscribe = (call) => {
      call.on('cancelled', () => markCancelled(call.request.taskId));
      call.write(item(1));
    };
    const controller = new AbortController();
    const reading = (async () => {
      for await (const response of streaming().subscribe({ taskId: 'aborted' }, { signal: controller.signal })) {
        expect(response.item.case).toBe('gap');
        controller.abort();
      }
    })();
    await expect(reading).rejects.toMatchObject({ code: Code.Canceled });
    await expect(cancelled).resolves.toBe('aborted');
  });
});

