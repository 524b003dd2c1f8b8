import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { TaskEventSchema } from '@shannon/contracts';
import type { DurableConsumerFactory } from '@shannon/bus';
import { BusNames } from '@shannon/contracts';
import type { TaskOutcomeReader } from './task-outcome.reader';
import { TurnEventsConsumer } from './turn-events.consumer';
import type { TurnOutcome } from './turn.repository';
import type { TurnService } from './turn.service';

const owner = { tenantId: 'tenant-1', userId: 'user-1' };
const event = (type: string, at = new Date('2026-11-24T10:00:00Z')) =>
  create(TaskEventSchema, { workflowId: 'task_1', ...owner, type, timestamp: timestampFromDate(at), seq: 1n });
const outcome: TurnOutcome = {
  status: 'COMPLETED',
  mode: 'standard',
  result: 'The capital of France is Paris.',
  error: null,
  inputTokens: 7,
  outputTokens: 8,
  costUsd: 0,
  startedAt: new Date(),
  completedAt: new Date(),
};

describe(TurnEventsConsumer.name, () => {
  let turns: jest.Mocked<Pick<TurnService, 'recordStart' | 'recordOutcome'>>;
  let tasks: jest.Mocked<Pick<TaskOutcomeReader, 'read'>>;
  let sut: TurnEventsConsumer;

  beforeEach(() => {
    turns = { recordStart: jest.fn(), recordOutcome: jest.fn().mockResolvedValue(true) };
    tasks = { read: jest.fn() };
    sut = new TurnEventsConsumer({} as DurableConsumerFactory, new BusNames(), turns as unknown as TurnService, tasks as unknown as TaskOutcomeReader);
  });

  it('marks the turn running at WORKFLOW_STARTED, with the event’s time', async () => {
    await sut.handle(event('WORKFLOW_STARTED'));
    expect(turns.recordStart).toHaveBeenCalledWith('task_1', new Date('2026-11-24T10:00:00Z'));
    expect(tasks.read).not.toHaveBeenCalled();
  });

  it.each(['LLM_PARTIAL', 'LLM_OUTPUT', 'AGENT_COMPLETED', 'PROGRESS'])('lets %s pass without a look-up', async (type) => {
    await sut.handle(event(type));
    expect(tasks.read).not.toHaveBeenCalled();
  });

  it.each(['WORKFLOW_COMPLETED', 'WORKFLOW_FAILED', 'WORKFLOW_CANCELLED', 'STREAM_END'])('records the outcome the task service reports at %s', async (type) => {
    tasks.read.mockResolvedValue({ kind: 'finished', outcome });
    await sut.handle(event(type));
    expect(tasks.read).toHaveBeenCalledWith(owner, 'task_1');
    expect(turns.recordOutcome).toHaveBeenCalledWith('task_1', outcome);
  });

  it('settles a terminal event redelivered after a restart (its turn closed already) with one read and no error', async () => {
    tasks.read.mockResolvedValue({ kind: 'finished', outcome });
    turns.recordOutcome.mockResolvedValue(false);
    await expect(sut.handle(event('STREAM_END'))).resolves.toBeUndefined();
    expect(tasks.read).toHaveBeenCalledTimes(1);
    expect(turns.recordOutcome).toHaveBeenCalledTimes(1);
  });

  it('needs no look-up at all for a terminal event of a task whose outcome it has just recorded', async () => {
    tasks.read.mockResolvedValue({ kind: 'finished', outcome });
    await sut.handle(event('WORKFLOW_COMPLETED'));
    await sut.handle(event('STREAM_END'));
    expect(tasks.read).toHaveBeenCalledTimes(1);
    expect(turns.recordOutcome).toHaveBeenCalledTimes(1);
  });

  it('reads the task once when its terminal events are handled side by side', async () => {
    tasks.read.mockResolvedValue({ kind: 'finished', outcome });
    await Promise.all([sut.handle(event('WORKFLOW_COMPLETED')), sut.handle(event('STREAM_END'))]);
    expect(tasks.read).toHaveBeenCalledTimes(1);
    expect(turns.recordOutcome).toHaveBeenCalledTimes(1);
  });

  it('tries again itself when the terminal event handled beside it failed', async () => {
    tasks.read.mockRejectedValueOnce(new Error('task service unavailable')).mockResolvedValue({ kind: 'finished', outcome });
    const [first, second] = await Promise.allSettled([sut.handle(event('WORKFLOW_COMPLETED')), sut.handle(event('STREAM_END'))]);
    expect(first.status).toBe('rejected');
    expect(second.status).toBe('fulfilled');
    expect(turns.recordOutcome).toHaveBeenCalledTimes(1);
  });

  it('has the event redelivered while the task service does not show the task finished yet', async () => {
    tasks.read.mockResolvedValue({ kind: 'unfinished' });
    await expect(sut.handle(event('WORKFLOW_COMPLETED'))).rejects.toThrow('not finished yet');
    expect(turns.recordOutcome).not.toHaveBeenCalled();
  });

  it('drops the event of a task the task service does not know', async () => {
    tasks.read.mockResolvedValue({ kind: 'missing' });
    await expect(sut.handle(event('WORKFLOW_COMPLETED'))).resolves.toBeUndefined();
    expect(turns.recordOutcome).not.toHaveBeenCalled();
  });
});
