import { Inject, Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { DurableConsumerFactory, type RunningConsumer } from '@shannon/bus';
import { BusNames } from '@shannon/contracts';
import { TASK_CONFIG, type TaskConfig } from '../config';
import { TaskRunner } from './task-runner';

/** In the worker role: pulls tasks from the TASKS work queue and runs them. */
@Injectable()
export class TaskWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer?: RunningConsumer;

  constructor(
    private readonly consumers: DurableConsumerFactory,
    private readonly names: BusNames,
    private readonly runner: TaskRunner,
    @Inject(TASK_CONFIG) private readonly config: TaskConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.TASK_ROLE !== 'worker') {
      return;
    }
    this.consumer = await this.consumers.start({
      stream: this.names.tasksStream,
      durable: this.names.taskWorkersConsumer,
      filterSubject: this.names.taskWorkSubject,
      ackWaitMs: this.config.TASK_ACK_WAIT_MS,
      // One delivery more than the attempts: the last one only writes the dead letter (a worker
      // killed on the final attempt still gets its task settled).
      maxDeliver: this.config.TASK_MAX_ATTEMPTS + 1,
      concurrency: this.config.WORKER_CONCURRENCY,
      doubleAck: true,
      handle: (message) =>
        this.runner.handle({ subject: message.subject, data: message.data, deliveryCount: message.info.deliveryCount, working: () => message.working() }),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.runner.stopAll();
    await this.consumer?.stop();
  }
}
