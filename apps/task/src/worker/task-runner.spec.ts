import { create, toBinary } from '@bufbuild/protobuf';
import { TaskWorkItemSchema } from '@shannon/contracts';
import type { PromptBuilder } from '../agent/prompt-builder';
import type { TaskConfig } from '../config';
import type { TaskRepository, TaskRow } from '../tasks/task.repository';
import type { TaskRunRepository } from './task-run.repository';
import { TaskRunner } from './task-runner';

describe(TaskRunner.name, () => {
  const task = { id: 'task_01HQZX3Y9K8M2P4N5S7T9W2V00', tenantId: 't', userId: 'u', sessionId: 's', status: 'QUEUED', context: {} } as unknown as TaskRow;
  const delivery = { subject: 'tasks.work', data: toBinary(TaskWorkItemSchema, create(TaskWorkItemSchema, { taskId: task.id, tenantId: 't' })), deliveryCount: 1, working: jest.fn() };
  const deliveryOfTurn = (sessionTurn: number) => ({ ...delivery, data: toBinary(TaskWorkItemSchema, create(TaskWorkItemSchema, { taskId: task.id, tenantId: 't', sessionTurn })) });

  /** A runner over the given repository and prompt-builder doubles (nothing else is reached in these tests). */
  function runner(tasks: Partial<TaskRepository>, runs: Partial<TaskRunRepository>, prompts: Partial<PromptBuilder>): TaskRunner {
    return new TaskRunner(
      tasks as TaskRepository,
      runs as TaskRunRepository,
      {} as never,
      {} as never,
      {} as never,
      prompts as PromptBuilder,
      {} as never,
      { WORKER_ID: 'w1', TASK_MAX_ATTEMPTS: 5, TASK_ACK_WAIT_MS: 30_000, TASK_TIMEOUT_SECONDS: 60 } as TaskConfig,
    );
  }

  it('hands a task still waiting for its session back at once when the worker shuts down', async () => {
    const claim = jest.fn();
    const historyBefore = jest.fn(
      (_task: TaskRow, options: { signal?: AbortSignal }) =>
        new Promise<never>((_resolve, reject) => options.signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted', 'AbortError')))),
    );
    const sut = runner({ findById: jest.fn().mockResolvedValue(task) }, { claim }, { historyBefore });

    const handled = sut.handle(delivery);
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(historyBefore).toHaveBeenCalledWith(task, expect.objectContaining({ heartbeat: delivery.working }));
    sut.stopAll();

    await expect(handled).resolves.toEqual({ kind: 'nak', delayMs: 0 });
    expect(claim).not.toHaveBeenCalled();
  });

  it('claims the first turn of a session at once: no task read, no history call', async () => {
    const findById = jest.fn();
    const historyBefore = jest.fn();
    // The claim finds the task gone: the runner stops there, which is all this test needs.
    const claim = jest.fn().mockResolvedValue({ kind: 'missing' });
    const deadLetter = jest.fn().mockResolvedValue(false);
    const sut = runner({ findById }, { claim, deadLetter }, { historyBefore });
    const firstTurn = deliveryOfTurn(1);

    await expect(sut.handle(firstTurn)).resolves.toEqual(expect.objectContaining({ kind: 'term' }));

    expect(claim).toHaveBeenCalledWith(task.id, 'w1', 30_000, 60);
    expect(findById).not.toHaveBeenCalled();
    expect(historyBefore).not.toHaveBeenCalled();
  });

  it('reads a later turn and its history before claiming it', async () => {
    const findById = jest.fn().mockResolvedValue(task);
    const historyBefore = jest.fn().mockResolvedValue([]);
    const claim = jest.fn().mockResolvedValue({ kind: 'leased', task, retryInMs: 70 });
    const sut = runner({ findById }, { claim }, { historyBefore });
    const secondTurn = deliveryOfTurn(2);

    await expect(sut.handle(secondTurn)).resolves.toEqual({ kind: 'nak', delayMs: 70 });

    expect(findById).toHaveBeenCalledWith(task.id);
    expect(historyBefore).toHaveBeenCalledWith(task, expect.objectContaining({ heartbeat: secondTurn.working }));
    expect(historyBefore.mock.invocationCallOrder[0]).toBeLessThan(claim.mock.invocationCallOrder[0]);
  });
});
