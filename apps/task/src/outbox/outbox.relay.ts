import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { BusPublisher } from '@shannon/bus';
import { runOutsideTrace } from '@shannon/logging';
import { TASK_CONFIG, type TaskConfig } from '../config';
import type { OutboxEntry } from '../tasks/task.repository';
import { OutboxRepository, type PendingOutboxMessage } from './outbox.repository';

const BATCH_SIZE = 100;

/**
 * Publishes outbox rows to JetStream (Nats-Msg-Id makes a re-publish harmless). A submit hands its
 * message over as soon as its row is committed (`send`): published at once, its row marked in one
 * statement with the others sent in the same turn of the event loop (ADR 0002). A timer drains the
 * rows still unpublished one poll interval after they were stored: what a crash or a refused
 * publish left behind.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  /** Tasks whose message went out and whose row is to be marked at the end of this turn. */
  private toMark: string[] = [];
  private readonly sending = new Set<Promise<void>>();
  private marking: Promise<void> = Promise.resolve();

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
    await Promise.all([this.running, ...this.sending]);
  }

  /** Publishes a just-committed task's work message now; one the bus refuses is left to the timer. */
  send(taskId: string, message: OutboxEntry): void {
    const sent = this.publishMessage(message)
      .then(
        () => this.markSoon(taskId),
        (error: Error) => this.logger.warn(`Work message of ${taskId} not published yet, the relay will retry: ${error.message}`),
      )
      .finally(() => this.sending.delete(sent));
    this.sending.add(sent);
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

  /** Resolves once this turn's published rows are marked (they wait for the end of the turn to go in one statement). */
  private markSoon(taskId: string): Promise<void> {
    this.toMark.push(taskId);
    if (this.toMark.length > 1) {
      return this.marking;
    }
    this.marking = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => {
        const taskIds = this.toMark;
        this.toMark = [];
        return this.outbox.markPublished(taskIds);
      })
      // Unmarked rows are published again by the timer; the bus drops the repeats (same Nats-Msg-Id).
      .catch((error: Error) => this.logger.warn(`Could not mark published work messages: ${error.message}`));
    return this.marking;
  }

  private async drain(): Promise<void> {
    while ((await this.outbox.publishBatch(BATCH_SIZE, this.config.OUTBOX_POLL_MS, (batch) => this.publish(batch))) === BATCH_SIZE) {
      // keep going while full batches are published
    }
  }

  /**
   * Publishes the batch's messages side by side (JetStream acks them as a pipeline, not one round
   * trip each); one that the bus refuses stays unpublished for the next round and is logged,
   * without holding back the others.
   */
  private async publish(batch: PendingOutboxMessage[]): Promise<bigint[]> {
    const outcomes = await Promise.allSettled(batch.map((message) => this.publishMessage(message)));
    return batch.filter((message, i) => {
      const outcome = outcomes[i];
      if (outcome.status === 'rejected') {
        this.logger.warn(`Outbox message ${message.id} (${message.msgId}) not published, will retry: ${(outcome.reason as Error).message}`);
      }
      return outcome.status === 'fulfilled';
    }).map((message) => message.id);
  }

  /** One work message on the bus; its Nats-Msg-Id makes publishing it again harmless. */
  private publishMessage(message: Pick<OutboxEntry, 'subject' | 'payload' | 'msgId'> & { headers?: Record<string, string> | null }): Promise<unknown> {
    return this.publisher.publish(message.subject, message.payload, { msgId: message.msgId, headers: message.headers ?? undefined });
  }
}
