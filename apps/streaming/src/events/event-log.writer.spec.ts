import type { StreamingConfig } from '../config';
import type { EventLogRepository, NewEventLogRow } from './event-log.repository';
import { EventLogWriter } from './event-log.writer';

const event = (seq: number): NewEventLogRow => ({
  taskId: 'task_1',
  seq: BigInt(seq),
  tenantId: 't',
  type: 'PROGRESS',
  agentId: '',
  message: '',
  payload: {},
  timestamp: new Date(0),
});

describe(EventLogWriter.name, () => {
  const config = { EVENTLOG_BATCH_SIZE: 3, EVENTLOG_BATCH_INTERVAL_MS: 10_000 } as StreamingConfig;

  it('inserts a full batch at once and resolves each write after the commit', async () => {
    const log = { insertMany: jest.fn().mockResolvedValue(undefined) };
    const sut = new EventLogWriter(log as unknown as EventLogRepository, config);
    await Promise.all([sut.write(event(1)), sut.write(event(2)), sut.write(event(3))]);
    expect(log.insertMany).toHaveBeenCalledTimes(1);
    expect(log.insertMany.mock.calls[0][0].map((e: NewEventLogRow) => e.seq)).toEqual([1n, 2n, 3n]);
  });

  it('rejects every write of a batch that failed, so the bus redelivers them', async () => {
    const log = { insertMany: jest.fn().mockRejectedValue(new Error('db down')) };
    const sut = new EventLogWriter(log as unknown as EventLogRepository, config);
    const writes = [sut.write(event(1)), sut.write(event(2))];
    await sut.flush();
    await expect(Promise.all(writes)).rejects.toThrow('db down');
  });
});
