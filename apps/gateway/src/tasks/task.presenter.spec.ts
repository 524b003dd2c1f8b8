import { create } from '@bufbuild/protobuf';
import { TaskSchema, TaskStatus } from '@shannon/contracts';
import { executionModeName, TaskPresenter } from './task.presenter';

describe('TaskPresenter', () => {
  it.each([
    ['simple', 'EXECUTION_MODE_SIMPLE'],
    ['standard', 'EXECUTION_MODE_STANDARD'],
    ['complex', 'EXECUTION_MODE_COMPLEX'],
    ['supervisor', 'EXECUTION_MODE_STANDARD'],
    ['', 'EXECUTION_MODE_STANDARD'],
  ])('lists mode %j as %s, as Shannon does', (mode, name) => {
    expect(executionModeName(mode)).toBe(name);
  });

  it('names the mode as Shannon does in the list and keeps the lowercase word on GET', () => {
    const task = create(TaskSchema, { taskId: 'task_1', mode: 'complex', status: TaskStatus.COMPLETED });
    expect(TaskPresenter.listItem(task).mode).toBe('EXECUTION_MODE_COMPLEX');
    expect(TaskPresenter.status(task).mode).toBe('complex');
  });
});
