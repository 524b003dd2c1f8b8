import { fromBinary } from '@bufbuild/protobuf';
import { Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { DurableConsumerFactory, type RunningConsumer } from '@shannon/bus';
import { BusNames, TaskEventSchema } from '@shannon/contracts';
import { toNewEventLogRow } from './event-log.mapper';
import { EventLogWriter } from './event-log.writer';

const IN_FLIGHT = 512;

/** Follows the lasting events on the EVENTS stream (token deltas are not sent to it) with a durable consumer and keeps them in the log. */
@Injectable()
export class EventLogConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer?: RunningConsumer;

  constructor(
    private readonly consumers: DurableConsumerFactory,
    private readonly names: BusNames,
    private readonly writer: EventLogWriter,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await this.consumers.start({
      stream: this.names.eventsStream,
      durable: this.names.eventLogConsumer,
      filterSubject: this.names.lastingEventsSubject,
      ackWaitMs: 30_000,
      maxDeliver: 10,
      concurrency: IN_FLIGHT,
      handle: async (message) => {
        await this.writer.write(toNewEventLogRow(fromBinary(TaskEventSchema, message.data)));
      },
    });
  }

  /**
   * Stops taking events while the database is still open (ADR 0004): the stop waits for the
   * handlers in flight, whose writes the writer's batch timer commits.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
