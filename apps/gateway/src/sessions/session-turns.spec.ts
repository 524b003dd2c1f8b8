import { create } from '@bufbuild/protobuf';
import { BeginTurnResponseSchema, type Task, TaskSchema, TurnConcurrency } from '@shannon/contracts';
import type { InternalClients } from '../clients/internal-clients';
import { SessionTurns } from './session-turns';
import type { TaskInterruptHook } from './task-interrupt.hook';

const principal = { tenantId: 't', userId: 'u', apiKeyId: '' };
const TASK_ID = /^task_[0-9A-HJKMNP-TV-Z]{26}$/;

describe(SessionTurns.name, () => {
  let session: { beginTurn: jest.Mock; abandonTurn: jest.Mock };
  let interrupts: { interrupt: jest.Mock };
  let sut: SessionTurns;

  beforeEach(() => {
    session = {
      beginTurn: jest.fn().mockResolvedValue(create(BeginTurnResponseSchema, { session: { id: 'session-uuid' }, turn: { seq: 3 }, interruptedTaskIds: [] })),
      abandonTurn: jest.fn().mockResolvedValue({}),
    };
    interrupts = { interrupt: jest.fn().mockResolvedValue(undefined) };
    sut = new SessionTurns({ session } as unknown as InternalClients, interrupts as unknown as TaskInterruptHook);
  });

  const created = (taskId: string): Task => create(TaskSchema, { taskId });

  it('reserves the turn under a new task id, then creates the task with that id and turn in the resolved session', async () => {
    const createTask = jest.fn(async ({ taskId }: { taskId: string }) => created(taskId));

    const task = await sut.submit(principal, { query: 'What is Python?', session_id: 'user-123-chat', session_concurrency: 'reject' }, createTask);

    const [request] = session.beginTurn.mock.calls[0];
    expect(request).toMatchObject({ sessionId: 'user-123-chat', query: 'What is Python?', concurrency: TurnConcurrency.REJECT, taskId: expect.stringMatching(TASK_ID) });
    expect(createTask).toHaveBeenCalledWith({ sessionId: 'session-uuid', taskId: request.taskId, turn: 3 });
    expect(task.taskId).toBe(request.taskId);
    expect(session.abandonTurn).not.toHaveBeenCalled();
  });

  it.each([
    [undefined, TurnConcurrency.ENQUEUE],
    ['enqueue', TurnConcurrency.ENQUEUE],
    ['interrupt', TurnConcurrency.INTERRUPT],
  ])('maps session_concurrency %s', async (policy, expected) => {
    await sut.submit(principal, { query: 'q', session_concurrency: policy }, async ({ taskId }) => created(taskId));
    expect(session.beginTurn.mock.calls[0][0].concurrency).toBe(expected);
  });

  it('gives the reservation back when the task cannot be created, and passes the error on', async () => {
    const refused = new Error('context.mock.token_delay_ms must be a number');

    await expect(sut.submit(principal, { query: 'q' }, () => Promise.reject(refused))).rejects.toBe(refused);

    expect(session.abandonTurn).toHaveBeenCalledWith({ taskId: session.beginTurn.mock.calls[0][0].taskId }, expect.anything());
  });

  it('gives the reservation back when the task service answers with an earlier task (a repeated request)', async () => {
    const task = await sut.submit(principal, { query: 'q' }, async () => created('task_01HQZX3Y9K8M2P4N5S7T9W2V00'));
    expect(task.taskId).toBe('task_01HQZX3Y9K8M2P4N5S7T9W2V00');
    expect(session.abandonTurn).toHaveBeenCalledTimes(1);
  });

  it('hands the interrupted tasks to the interrupt hook once the new task exists', async () => {
    session.beginTurn.mockResolvedValue(create(BeginTurnResponseSchema, { session: { id: 's' }, interruptedTaskIds: ['task_a', 'task_b'] }));
    await sut.submit(principal, { query: 'q', session_concurrency: 'interrupt' }, async ({ taskId }) => created(taskId));
    expect(interrupts.interrupt).toHaveBeenCalledWith(principal, ['task_a', 'task_b']);
  });
});
