import { TaskControlAction } from '@shannon/contracts';
import type { TaskEventPublisher, TaskEventStream } from '../worker/task-event.publisher';
import type { TaskControlPublisher } from './task-control.publisher';
import { TaskControlService } from './task-control.service';
import type { TaskRepository, TaskRow } from './task.repository';
import type { TaskService } from './task.service';

describe(TaskControlService.name, () => {
  const caller = { tenantId: '11111111-1111-4111-8111-111111111111', userId: '22222222-2222-4222-8222-222222222222' };
  const taskId = 'task_01HQZX3Y9K8M2P4N5S7T9W2V00';
  const row = (fields: Partial<TaskRow>) => ({ id: taskId, tenantId: caller.tenantId, userId: caller.userId, startedAt: null, cancelRequestedAt: null, ...fields }) as TaskRow;
  let tasks: jest.Mocked<Pick<TaskService, 'get'>>;
  let repository: jest.Mocked<Pick<TaskRepository, 'cancelQueued' | 'requestCancel' | 'requestPause' | 'requestResume'>>;
  let signals: jest.Mocked<Pick<TaskControlPublisher, 'send'>>;
  let emitted: string[];
  let sut: TaskControlService;

  beforeEach(() => {
    tasks = { get: jest.fn() };
    repository = { cancelQueued: jest.fn(), requestCancel: jest.fn(), requestPause: jest.fn(), requestResume: jest.fn() };
    signals = { send: jest.fn().mockResolvedValue(undefined) };
    emitted = [];
    const stream = { emit: jest.fn((event: { type: string }) => Promise.resolve(BigInt(emitted.push(event.type)))) } as unknown as TaskEventStream;
    const events = { streamFor: jest.fn().mockReturnValue(stream) } as unknown as TaskEventPublisher;
    sut = new TaskControlService(tasks as unknown as TaskService, repository as unknown as TaskRepository, signals as unknown as TaskControlPublisher, events);
  });

  it('cancels a task paused before any worker claimed it at once, without a worker', async () => {
    tasks.get.mockResolvedValueOnce(row({ status: 'PAUSED' })).mockResolvedValueOnce(row({ status: 'CANCELLED' }));
    repository.cancelQueued.mockResolvedValue(0n);

    await expect(sut.cancel(caller, taskId, 'enough')).resolves.toEqual({ task: expect.objectContaining({ status: 'CANCELLED' }), changed: true });

    expect(repository.cancelQueued).toHaveBeenCalledWith(caller.tenantId, taskId, { reason: 'enough', by: caller.userId }, 3);
    expect(emitted).toEqual(['WORKFLOW_CANCELLING', 'WORKFLOW_CANCELLED', 'STREAM_END']);
    expect(repository.requestCancel).not.toHaveBeenCalled();
  });

  it('asks the worker to cancel a paused task it runs', async () => {
    const paused = row({ status: 'PAUSED', startedAt: new Date() });
    tasks.get.mockResolvedValue(paused);
    repository.requestCancel.mockResolvedValue(true);

    await expect(sut.cancel(caller, taskId, '')).resolves.toEqual({ task: paused, changed: true });

    expect(repository.cancelQueued).not.toHaveBeenCalled();
    expect(signals.send).toHaveBeenCalledWith(taskId, TaskControlAction.CANCEL);
    expect(emitted).toEqual([]);
  });

  it('writes a pause and a resume to the row before signalling them', async () => {
    tasks.get.mockResolvedValue(row({ status: 'RUNNING', startedAt: new Date() }));
    repository.requestPause.mockResolvedValue(true);
    repository.requestResume.mockResolvedValue(true);

    await sut.pause(caller, taskId, 'lunch');
    await sut.resume(caller, taskId);

    expect(repository.requestPause).toHaveBeenCalledWith(caller.tenantId, taskId, { reason: 'lunch', by: caller.userId });
    expect(repository.requestPause.mock.invocationCallOrder[0]).toBeLessThan(signals.send.mock.invocationCallOrder[0]);
    expect(repository.requestResume.mock.invocationCallOrder[0]).toBeLessThan(signals.send.mock.invocationCallOrder[1]);
    expect(signals.send.mock.calls).toEqual([
      [taskId, TaskControlAction.PAUSE],
      [taskId, TaskControlAction.RESUME],
    ]);
  });

  it.each([
    ['pause', 'task is already paused'],
    ['resume', 'task is not paused'],
  ] as const)('refuses a %s the row does not take', async (action, message) => {
    tasks.get.mockResolvedValue(row({ status: 'QUEUED' }));
    repository.requestPause.mockResolvedValue(false);
    repository.requestResume.mockResolvedValue(false);

    await expect(action === 'pause' ? sut.pause(caller, taskId, '') : sut.resume(caller, taskId)).rejects.toMatchObject({ message });
    expect(signals.send).not.toHaveBeenCalled();
  });
});
