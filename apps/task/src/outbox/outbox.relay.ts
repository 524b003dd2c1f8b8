import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { BusPublisher } from '@shannon/bus';
import { runOutsideTrace } from '@shannon/logging';
import { TASK_CONFIG, type TaskConfig } from '../config';
import { OutboxRepository, type PendingOutboxMessage } from './outbox.repository';

const BATCH_SIZE = 100;

/**
 * Publishes outbox rows to JetStream (Nats-Msg-Id makes a re-publish harmless). Runs right after
 * each submit commits and on a timer for rows a crash left behind.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly publisher: BusPublisher,
    @Inject(TASK_CONFIG) private readonly config: TaskConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.TASK_ROLE !== 'api') {
      return;
    }
    this.timer = setInterval(() => this.kick(), this.config.OUTBOX_POLL_MS);
    this.kick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Starts a drain unless one is running; a kick during a drain makes it go round once more. */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    // A drain publishes many tasks' messages: it must not inherit the trace of the submit that kicked it.
    this.running = runOutsideTrace(() => this.drain())
      .catch((error: Error) => this.logger.warn(`Outbox relay failed, will retry: ${error.message}`))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Resolves once the current drain (if any) has finished; for tests and shutdown. */
  async settle(): Promise<void> {
    while (this.running) {
      await this.running;
    }
  }

  private async drain(): Promise<void> {
    while ((await this.outbox.publishBatch(BATCH_SIZE, (batch) => this.publish(batch))) === BATCH_SIZE) {
      // keep going while full batches are published
    }
  }

  /**
   * Publishes the batch's messages side by side (JetStream acks them as a pipeline, not one round
   * trip each); one that the bus refuses stays unpublished for the next round and is logged,
   * without holding back the others.
   */
  private async publish(batch: PendingOutboxMessage[]): Promise<bigint[]> {
    const outcomes = await Promise.allSettled(
      batch.map((message) => this.publisher.publish(message.subject, message.payload, { msgId: message.msgId, headers: message.headers ?? undefined })),
    );
    return batch.filter((message, i) => {
      const outcome = outcomes[i];
      if (outcome.status === 'rejected') {
        this.logger.warn(`Outbox message ${message.id} (${message.msgId}) not published, will retry: ${(outcome.reason as Error).message}`);
      }
      return outcome.status === 'fulfilled';
    }).map((message) => message.id);
  }
}
