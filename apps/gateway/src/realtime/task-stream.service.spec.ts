import { create } from '@bufbuild/protobuf';
import { TaskSchema, TaskStatus } from '@shannon/contracts';
import { ErrorCode } from '@shannon/errors';
import type { InternalClients } from '../clients/internal-clients';
import type { GatewayConfig } from '../config';
import type { StreamHub } from './stream-hub';
import { SubmittedTasks } from '../tasks/submitted-tasks';
import { TaskStreamService } from './task-stream.service';

describe(TaskStreamService.name, () => {
  const principal = { tenantId: '11111111-1111-4111-8111-111111111111', userId: '22222222-2222-4222-8222-222222222222' };
  const raw = { taskId: 'task_01JDQ3VZ4E5N6P7Q8R9S0T1V2W', taskIdFrom: 'path' as const };
  let getTask: jest.Mock;
  let followsLive: jest.Mock;
  let submitted: SubmittedTasks;
  let sut: TaskStreamService;

  beforeEach(() => {
    getTask = jest.fn();
    followsLive = jest.fn().mockReturnValue(false);
    submitted = new SubmittedTasks();
    sut = new TaskStreamService({ task: { getTask } } as unknown as InternalClients, { followsLive } as unknown as StreamHub, submitted, {} as GatewayConfig);
  });

  it('looks the task up for the caller and streams it live while it runs', async () => {
    getTask.mockResolvedValue({ task: create(TaskSchema, { taskId: raw.taskId, status: TaskStatus.RUNNING }) });
    await expect(sut.accept(principal, raw)).resolves.toMatchObject({ live: true, request: { taskId: raw.taskId } });
    expect(getTask).toHaveBeenCalledWith({ taskId: raw.taskId }, expect.anything());
  });

  it('streams a finished task from its history', async () => {
    getTask.mockResolvedValue({ task: create(TaskSchema, { taskId: raw.taskId, status: TaskStatus.COMPLETED }) });
    await expect(sut.accept(principal, raw)).resolves.toMatchObject({ live: false });
  });

  it('answers 404 for a task the task service does not find for the caller', async () => {
    getTask.mockResolvedValue({});
    await expect(sut.accept(principal, raw)).rejects.toMatchObject({ code: ErrorCode.TaskNotFound });
  });

  it('needs no lookup for a task this gateway already follows live for the caller’s tenant', async () => {
    followsLive.mockReturnValue(true);
    await expect(sut.accept(principal, raw)).resolves.toMatchObject({ live: true });
    expect(followsLive).toHaveBeenCalledWith(principal, raw.taskId);
    expect(getTask).not.toHaveBeenCalled();
  });

  it('needs no lookup for a task this gateway submitted for the caller’s tenant, and looks it up for another tenant', async () => {
    submitted.remember(principal.tenantId, raw.taskId);
    await expect(sut.accept(principal, raw)).resolves.toMatchObject({ live: true });
    expect(getTask).not.toHaveBeenCalled();

    getTask.mockResolvedValue({});
    const stranger = { ...principal, tenantId: '33333333-3333-4333-8333-333333333333' };
    await expect(sut.accept(stranger, raw)).rejects.toMatchObject({ code: ErrorCode.TaskNotFound });
    expect(getTask).toHaveBeenCalledTimes(1);
  });

  it('refuses a malformed task id before any lookup', async () => {
    await expect(sut.accept(principal, { ...raw, taskId: 'not a task id' })).rejects.toMatchObject({ message: 'Invalid task ID format' });
    expect(getTask).not.toHaveBeenCalled();
  });
});
