import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { GetTaskResponseSchema, ListEventsResponseSchema, TaskStatus } from '@shannon/contracts';
import { NotFoundError } from '@shannon/errors';
import type { InternalClients } from '../clients/internal-clients';
import type { SessionTurns } from '../sessions/session-turns';
import type { SubmittedTasks } from './submitted-tasks';
import { TaskGatewayService } from './task-gateway.service';
import { CLOSING_EVENTS_WINDOW_MS } from './task-status';

const principal = { tenantId: 't', userId: 'u', apiKeyId: '' };

describe(TaskGatewayService.name, () => {
  let task: { getTask: jest.Mock };
  let streaming: { listEvents: jest.Mock };
  let sut: TaskGatewayService;

  const taskIn = (status: TaskStatus, completedMsAgo?: number) =>
    task.getTask.mockResolvedValue(
      create(GetTaskResponseSchema, {
        task: { taskId: 'task_1', status, completedAt: completedMsAgo === undefined ? undefined : timestampFromDate(new Date(Date.now() - completedMsAgo)) },
      }),
    );

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

  it.each([
    [0, true],
    [CLOSING_EVENTS_WINDOW_MS - 5_000, true],
    [CLOSING_EVENTS_WINDOW_MS + 1, false],
    [24 * 3600_000, false],
  ])('waits for the closing events of a task that finished %i ms ago: %s (one that never sent them is not waited for on every read)', async (ago, taskFinished) => {
    taskIn(TaskStatus.COMPLETED, ago);

    await sut.events(principal, 'task_1', {});
    await sut.timeline(principal, 'task_1', {});

    expect(streaming.listEvents).toHaveBeenNthCalledWith(1, expect.objectContaining({ taskFinished }), expect.anything());
    expect(streaming.listEvents).toHaveBeenNthCalledWith(2, expect.objectContaining({ taskFinished }), expect.anything());
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
