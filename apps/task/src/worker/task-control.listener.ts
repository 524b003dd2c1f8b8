import { fromBinary } from '@bufbuild/protobuf';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { NatsConnection } from '@shannon/bus';
import { BusNames, TaskControlSignalSchema } from '@shannon/contracts';
import type { Subscription } from '@nats-io/transport-node';
import { TASK_CONFIG, type TaskConfig } from '../config';
import { TaskRunner } from './task-runner';

/** In the worker role: hands control signals (core NATS tasks.control.*) to the tasks this process runs. */
@Injectable()
export class TaskControlListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TaskControlListener.name);
  private subscription?: Subscription;

  constructor(
    private readonly nats: NatsConnection,
    private readonly names: BusNames,
    private readonly runner: TaskRunner,
    @Inject(TASK_CONFIG) private readonly config: TaskConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.TASK_ROLE !== 'worker') {
      return;
    }
    this.subscription = this.nats.core.subscribe(this.names.allTaskControlSubject, {
      callback: (error, message) => {
        if (error) {
          this.logger.warn(`Control subscription error: ${error.message}`);
          return;
        }
        try {
          const signal = fromBinary(TaskControlSignalSchema, message.data);
          this.runner.signal(signal.taskId, signal.action);
        } catch (decodeError) {
          this.logger.warn(`Undecodable control signal on ${message.subject}: ${(decodeError as Error).message}`);
        }
      },
    });
    // The subscription is live on the server before the worker takes work.
    await this.nats.core.flush();
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }
}
