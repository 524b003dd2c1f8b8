import { create, toBinary } from '@bufbuild/protobuf';
import { Injectable } from '@nestjs/common';
import { NatsConnection } from '@shannon/bus';
import { BusNames, type TaskControlAction, TaskControlSignalSchema } from '@shannon/contracts';

/** Sends control signals to whichever worker runs a task (core NATS: at most once; the row is the truth). */
@Injectable()
export class TaskControlPublisher {
  constructor(
    private readonly nats: NatsConnection,
    private readonly names: BusNames,
  ) {}

  async send(taskId: string, action: TaskControlAction): Promise<void> {
    this.nats.core.publish(this.names.taskControlSubject(taskId), toBinary(TaskControlSignalSchema, create(TaskControlSignalSchema, { taskId, action })));
    await this.nats.core.flush();
  }
}
