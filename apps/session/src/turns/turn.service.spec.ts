import { create } from '@bufbuild/protobuf';
import { BeginTurnRequestSchema, TurnConcurrency } from '@shannon/contracts';
import { AppError, ErrorCode } from '@shannon/errors';
import type { SessionRetention } from '../retention/session-retention';
import type { SessionService } from '../sessions/session.service';
import type { TurnRepository } from './turn.repository';
import { admissionFor, TurnService } from './turn.service';

describe(admissionFor.name, () => {
  it.each([TurnConcurrency.ENQUEUE, TurnConcurrency.UNSPECIFIED])('queues behind open turns (%s)', (policy) => {
    expect(admissionFor(policy)(['task_a', 'task_b'])).toEqual({ interrupt: [] });
  });

  it('refuses a turn while one is open, naming the newest open task', () => {
    const admit = admissionFor(TurnConcurrency.REJECT);
    expect(admit([])).toEqual({ interrupt: [] });
    let refusal: unknown;
    try {
      admit(['task_a', 'task_b']);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ code: ErrorCode.Conflict, message: expect.stringMatching(/^Session already has a task in progress \(task_b\)/) });
  });

  it('interrupts every open turn', () => {
    expect(admissionFor(TurnConcurrency.INTERRUPT)(['task_a', 'task_b'])).toEqual({ interrupt: ['task_a', 'task_b'] });
  });

  it('refuses a policy it does not know', () => {
    expect(() => admissionFor(99 as TurnConcurrency)).toThrow('Invalid session_concurrency');
  });
});

describe(TurnService.name, () => {
  const caller = { tenantId: 't', userId: 'u' };

  it('counts the open earlier turns before it reads the completed ones, so a turn ending in between is never lost', async () => {
    let countDone!: (n: number) => void;
    const turns = {
      findByTaskId: jest.fn().mockResolvedValue({ sessionId: 's', seq: 2 }),
      countOpenBefore: jest.fn(() => new Promise<number>((resolve) => (countDone = resolve))),
      completedBefore: jest.fn().mockResolvedValue([{ taskId: 'task_1', query: 'What is Python?', result: 'Python is…' }]),
    };
    const sessions = { get: jest.fn().mockResolvedValue({ id: 's' }) };
    const sut = new TurnService(sessions as unknown as SessionService, turns as unknown as TurnRepository, {} as SessionRetention);

    const conversation = sut.conversation(caller, 's', 'task_2', 10);
    await new Promise(setImmediate);
    expect(turns.countOpenBefore).toHaveBeenCalledWith('s', 2);
    expect(turns.completedBefore).not.toHaveBeenCalled();
    countDone(0);

    await expect(conversation).resolves.toEqual({ pending: 0, turns: [{ taskId: 'task_1', query: 'What is Python?', result: 'Python is…' }] });
    expect(turns.completedBefore).toHaveBeenCalledWith('s', 2, 10);
  });

  it('starts the session again when it vanished before its turn was reserved (removed with a refused first submit)', async () => {
    const session = { id: '2db9a6f5-0000-4000-8000-000000000001', title: null };
    const turn = { taskId: 'task_01JZ0000000000000000000000', seq: 1 };
    const turns = {
      startSession: jest.fn().mockResolvedValueOnce(null).mockResolvedValueOnce({ session, turn }),
      reserve: jest.fn().mockResolvedValue(null),
    };
    const sessions = { resolve: jest.fn().mockResolvedValue({ session, created: false }) };
    const sut = new TurnService(sessions as unknown as SessionService, turns as unknown as TurnRepository, {} as SessionRetention);

    const begun = await sut.begin(caller, create(BeginTurnRequestSchema, { sessionId: 'user-123-chat', taskId: turn.taskId, query: 'What is Python?' }));

    expect(begun).toMatchObject({ session, turn, created: true });
    expect(turns.startSession).toHaveBeenCalledTimes(2);
  });

  it('answers 404 when the session vanished twice (deleted by its owner meanwhile)', async () => {
    const session = { id: '2db9a6f5-0000-4000-8000-000000000001', title: null };
    const turns = { startSession: jest.fn().mockResolvedValue(null), reserve: jest.fn().mockResolvedValue(null) };
    const sessions = { resolve: jest.fn().mockResolvedValue({ session, created: false }) };
    const sut = new TurnService(sessions as unknown as SessionService, turns as unknown as TurnRepository, {} as SessionRetention);

    await expect(sut.begin(caller, create(BeginTurnRequestSchema, { sessionId: 'user-123-chat', taskId: 'task_01JZ0000000000000000000000', query: 'q' }))).rejects.toMatchObject({ code: ErrorCode.SessionNotFound });
    expect(turns.reserve).toHaveBeenCalledTimes(2);
  });
});

