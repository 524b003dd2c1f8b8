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

  it("answers the session as the client named it, and its UUID when it named none", () => {
    const named = create(TaskSchema, { taskId: 'task_1', sessionId: '2db9a6f5-0000-4000-8000-000000000001', clientSessionId: 'user-123-chat' });
    expect(TaskPresenter.submitted(named)).toMatchObject({ session_id: 'user-123-chat', message: 'Task submitted successfully. Session: user-123-chat' });
    expect(TaskPresenter.status(named).session_id).toBe('user-123-chat');

    const unnamed = create(TaskSchema, { taskId: 'task_2', sessionId: '2db9a6f5-0000-4000-8000-000000000002' });
    expect(TaskPresenter.submitted(unnamed).session_id).toBe('2db9a6f5-0000-4000-8000-000000000002');
    expect(TaskPresenter.status(unnamed).session_id).toBe('2db9a6f5-0000-4000-8000-000000000002');
  });
});
