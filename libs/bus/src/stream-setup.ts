import { Injectable, Logger } from '@nestjs/common';
import { JetStreamApiError, RetentionPolicy, type StreamConfig, StorageType } from '@nats-io/jetstream';
import { BusNames } from '@shannon/contracts';
import { NatsConnection } from './nats-connection';

const NANOS_PER_MS = 1_000_000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Creates the TASKS and EVENTS streams if they are missing; safe to run from every replica. */
@Injectable()
export class StreamSetup {
  private readonly logger = new Logger(StreamSetup.name);

  constructor(
    private readonly nats: NatsConnection,
    private readonly names: BusNames,
  ) {}

  async ensureStreams(): Promise<void> {
    await this.ensure({
      name: this.names.tasksStream,
      subjects: [this.names.taskWorkSubject],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      duplicate_window: 2 * 60 * 1000 * NANOS_PER_MS,
    });
    await this.ensure({
      name: this.names.eventsStream,
      subjects: [this.names.allEventsSubject],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_age: DAY_MS * NANOS_PER_MS,
      max_bytes: 1024 * 1024 * 1024,
      duplicate_window: 2 * 60 * 1000 * NANOS_PER_MS,
    });
  }

  private async ensure(config: Partial<StreamConfig> & { name: string }): Promise<void> {
    try {
      await this.nats.jsm.streams.info(config.name);
    } catch (error) {
      if (!isStreamNotFound(error)) {
        throw error;
      }
      try {
        await this.nats.jsm.streams.add(config);
        this.logger.log(`Created stream ${config.name}`);
      } catch (addError) {
        // Another replica created it between our look-up and our add.
        await this.nats.jsm.streams.info(config.name).catch(() => Promise.reject(addError));
      }
    }
  }
}

function isStreamNotFound(error: unknown): boolean {
  return (error as Error)?.name === 'StreamNotFoundError' || (error instanceof JetStreamApiError && error.status === 404);
}
