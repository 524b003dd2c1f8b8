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

  it('hands a task still waiting for its session back at once when the worker shuts down', async () => {
    const claim = jest.fn();
    const forTask = jest.fn(
      (_task: TaskRow, options: { signal?: AbortSignal }) =>
        new Promise((_resolve, reject) => options.signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted', 'AbortError')))),
    );
    const sut = new TaskRunner(
      { findById: jest.fn().mockResolvedValue(task) } as unknown as TaskRepository,
      { claim } as unknown as TaskRunRepository,
      {} as never,
      {} as never,
      {} as never,
      { forTask } as unknown as PromptBuilder,
      {} as never,
      { WORKER_ID: 'w1', TASK_MAX_ATTEMPTS: 5, TASK_ACK_WAIT_MS: 30_000, TASK_TIMEOUT_SECONDS: 60 } as TaskConfig,
    );

    const handled = sut.handle(delivery);
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(forTask).toHaveBeenCalledWith(task, expect.objectContaining({ heartbeat: delivery.working }));
    sut.stopAll();

    await expect(handled).resolves.toEqual({ kind: 'nak', delayMs: 0 });
    expect(claim).not.toHaveBeenCalled();
  });
});
