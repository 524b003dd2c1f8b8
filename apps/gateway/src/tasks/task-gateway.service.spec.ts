import { create } from '@bufbuild/protobuf';
import { GetTaskResponseSchema, ListEventsResponseSchema, TaskStatus } from '@shannon/contracts';
import { NotFoundError } from '@shannon/errors';
import type { InternalClients } from '../clients/internal-clients';
import type { SessionTurns } from '../sessions/session-turns';
import type { SubmittedTasks } from './submitted-tasks';
import { TaskGatewayService } from './task-gateway.service';

const principal = { tenantId: 't', userId: 'u', apiKeyId: '' };

describe(TaskGatewayService.name, () => {
  let task: { getTask: jest.Mock };
  let streaming: { listEvents: jest.Mock };
  let sut: TaskGatewayService;

  const taskIn = (status: TaskStatus) => task.getTask.mockResolvedValue(create(GetTaskResponseSchema, { task: { taskId: 'task_1', status } }));

  beforeEach(() => {
    task = { getTask: jest.fn() };
    streaming = {
      listEvents: jest.fn().mockResolvedValue(create(ListEventsResponseSchema, { events: [{ workflowId: 'task_1', type: 'WORKFLOW_STARTED', seq: 1n }], count: 1 })),
    };
    sut = new TaskGatewayService({ task, streaming } as unknown as InternalClients, {} as SessionTurns, {} as SubmittedTasks);
  });

  it.each([
    [TaskStatus.RUNNING, false],
    [TaskStatus.QUEUED, false],
    [TaskStatus.COMPLETED, true],
    [TaskStatus.FAILED, true],
    [TaskStatus.CANCELLED, true],
    [TaskStatus.TIMEOUT, true],
  ])('reads the history of a task in %s saying whether it found it finished (%s), so its closing events are in it', async (status, taskFinished) => {
    taskIn(status);

    const page = await sut.events(principal, 'task_1', { limit: 10, offset: 20 });

    expect(streaming.listEvents).toHaveBeenCalledWith({ taskId: 'task_1', limit: 10, offset: 20, taskFinished }, expect.anything());
    expect(page).toMatchObject({ count: 1, events: [{ type: 'WORKFLOW_STARTED', seq: 1 }] });
  });

  it('builds the timeline of a finished task from its whole history', async () => {
    taskIn(TaskStatus.COMPLETED);

    await sut.timeline(principal, 'task_1', {});

    expect(streaming.listEvents).toHaveBeenCalledWith({ taskId: 'task_1', limit: 200, offset: 0, taskFinished: true }, expect.anything());
  });

  it('reads no history of a task it cannot find', async () => {
    task.getTask.mockResolvedValue(create(GetTaskResponseSchema, {}));

    await expect(sut.events(principal, 'task_1', {})).rejects.toThrow(NotFoundError);
    await expect(sut.timeline(principal, 'task_1', {})).rejects.toThrow(NotFoundError);
    expect(streaming.listEvents).not.toHaveBeenCalled();
  });
});
