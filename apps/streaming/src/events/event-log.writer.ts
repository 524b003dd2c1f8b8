import { Inject, Injectable } from '@nestjs/common';
import { STREAMING_CONFIG, type StreamingConfig } from '../config';
import { EventLogRepository, type NewEventLogRow } from './event-log.repository';

interface Pending {
  row: NewEventLogRow;
  done: (error?: Error) => void;
}

/**
 * Groups events into batched inserts (by size or after a short interval). `write` resolves only
 * after the event's batch committed, so the bus message is acked after the data is durable.
 */
@Injectable()
export class EventLogWriter {
  private pending: Pending[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly log: EventLogRepository,
    @Inject(STREAMING_CONFIG) private readonly config: StreamingConfig,
  ) {}

  write(row: NewEventLogRow): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ row, done: (error) => (error ? reject(error) : resolve()) });
      if (this.pending.length >= this.config.EVENTLOG_BATCH_SIZE) {
        void this.flush();
      } else {
        this.timer ??= setTimeout(() => void this.flush(), this.config.EVENTLOG_BATCH_INTERVAL_MS);
      }
    });
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) {
      return;
    }
    try {
      await this.log.insertMany(batch.map((p) => p.row));
      batch.forEach((p) => p.done());
    } catch (error) {
      batch.forEach((p) => p.done(error as Error));
    }
  }
}
