import { create } from '@bufbuild/protobuf';
import { BusNames, SubmitTaskRequestSchema } from '@shannon/contracts';
import { ErrorCode, ValidationError } from '@shannon/errors';
import { ModelCatalog } from '../llm';
import type { OutboxRelay } from '../outbox/outbox.relay';
import type { TaskRepository, TaskRow } from './task.repository';
import { IDEMPOTENCY_TTL_SECONDS, TaskService } from './task.service';

describe(TaskService.name, () => {
  const caller = { tenantId: '11111111-1111-4111-8111-111111111111', userId: '22222222-2222-4222-8222-222222222222' };
  const row = { id: 'task_1' } as TaskRow;
  const hash = 'a'.repeat(64);
  const trace = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', flags: '01', tracestate: 'v=1' };
  const request = (fields: { idempotencyKey?: string; requestHash?: string } = {}) =>
    create(SubmitTaskRequestSchema, { query: 'What is 2 + 2?', sessionId: '33333333-3333-4333-8333-333333333333', ...fields });
  let tasks: jest.Mocked<Pick<TaskRepository, 'create' | 'createIdempotent' | 'tenantUsageSince'>>;
  let relay: jest.Mocked<Pick<OutboxRelay, 'send'>>;
  let sut: TaskService;
  const service = (dispatch: 'outbox' | 'row-only') =>
    new TaskService(tasks as unknown as TaskRepository, relay as unknown as OutboxRelay, new BusNames(''), new ModelCatalog(new Set(['mock'])), { TASK_DISPATCH: dispatch });

  beforeEach(() => {
    tasks = { create: jest.fn().mockResolvedValue(row), createIdempotent: jest.fn(), tenantUsageSince: jest.fn() };
    relay = { send: jest.fn() };
    sut = service('outbox');
  });

  it('records the trace on the task and sends it with the work message', async () => {
    await expect(sut.submit(caller, request(), trace)).resolves.toEqual({ task: row, replayed: false });
    const [, , , outbox, recorded] = tasks.create.mock.calls[0];
    expect(outbox?.headers).toEqual({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', tracestate: 'v=1' });
    expect(recorded).toEqual({ traceId: trace.traceId, traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', tracestate: 'v=1' });
    expect(relay.send).toHaveBeenCalledWith(tasks.create.mock.calls[0][0], outbox);
  });

  it('stores the row alone and sends nothing when dispatch is row-only (benchmark W5)', async () => {
    await expect(service('row-only').submit(caller, request(), trace)).resolves.toEqual({ task: row, replayed: false });
    const [, , , outbox, recorded] = tasks.create.mock.calls[0];
    expect(outbox).toBeUndefined();
    expect(recorded?.traceId).toBe(trace.traceId);
    expect(relay.send).not.toHaveBeenCalled();
  });

  it('claims the idempotency key with the request hash for 24 hours', async () => {
    tasks.createIdempotent.mockResolvedValue({ kind: 'created', task: row });
    await expect(sut.submit(caller, request({ idempotencyKey: 'key-1', requestHash: hash }))).resolves.toEqual({ task: row, replayed: false });
    expect(tasks.createIdempotent).toHaveBeenCalledWith(expect.any(String), caller, expect.anything(), expect.anything(), {
      key: 'key-1',
      requestHash: hash,
      ttlSeconds: IDEMPOTENCY_TTL_SECONDS,
    }, undefined);
    expect(IDEMPOTENCY_TTL_SECONDS).toBe(86_400);
    expect(relay.send).toHaveBeenCalled();
  });

  it('answers a replay with the first task and publishes nothing', async () => {
    tasks.createIdempotent.mockResolvedValue({ kind: 'replayed', task: row });
    await expect(sut.submit(caller, request({ idempotencyKey: 'key-1', requestHash: hash }))).resolves.toEqual({ task: row, replayed: true });
    expect(relay.send).not.toHaveBeenCalled();
  });

  it('refuses the key reused with another request', async () => {
    tasks.createIdempotent.mockResolvedValue({ kind: 'conflict' });
    await expect(sut.submit(caller, request({ idempotencyKey: 'key-1', requestHash: hash }))).rejects.toMatchObject({
      code: ErrorCode.IdempotencyConflict,
      message: 'Idempotency-Key reused with a different request',
    });
  });

  it.each([
    [{ idempotencyKey: 'x'.repeat(256), requestHash: hash }, 'Invalid Idempotency-Key (1 to 255 printable ASCII characters)'],
    [{ idempotencyKey: 'has space', requestHash: hash }, 'Invalid Idempotency-Key (1 to 255 printable ASCII characters)'],
    [{ idempotencyKey: 'ok', requestHash: '' }, 'request_hash must be 64 hex characters when an idempotency key is given'],
  ])('refuses %j before storing anything', async (fields, message) => {
    await expect(sut.submit(caller, request(fields))).rejects.toEqual(new ValidationError(message));
    expect(tasks.createIdempotent).not.toHaveBeenCalled();
  });

  it('sums the usage of the caller’s whole tenant since the given time', async () => {
    const since = new Date('2026-12-01T00:00:00Z');
    tasks.tenantUsageSince.mockResolvedValue({ inputTokens: 12n, outputTokens: 30n });
    await expect(sut.tenantUsage(caller, since)).resolves.toEqual({ inputTokens: 12n, outputTokens: 30n });
    expect(tasks.tenantUsageSince).toHaveBeenCalledWith(caller.tenantId, since);
  });

  it('refuses a usage question without a start', () => {
    expect(() => sut.tenantUsage(caller, undefined)).toThrow(new ValidationError('since is required'));
    expect(tasks.tenantUsageSince).not.toHaveBeenCalled();
  });
});
