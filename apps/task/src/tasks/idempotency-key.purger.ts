import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { TASK_CONFIG, type TaskConfig } from '../config';
import { TaskRepository } from './task.repository';

const PURGE_INTERVAL_MS = 15 * 60_000;

/**
 * Deletes idempotency keys past their 24 h (an expired key is also taken over on its next use, so
 * this only keeps the table small). Runs in the api role.
 */
@Injectable()
export class IdempotencyKeyPurger implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(IdempotencyKeyPurger.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly tasks: TaskRepository,
    @Inject(TASK_CONFIG) private readonly config: TaskConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.TASK_ROLE !== 'api') {
      return;
    }
    this.timer = setInterval(() => void this.purge(), PURGE_INTERVAL_MS);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async purge(): Promise<number> {
    try {
      const count = await this.tasks.purgeExpiredIdempotencyKeys();
      if (count > 0) {
        this.logger.log(`Purged ${count} expired idempotency keys`);
      }
      return count;
    } catch (error) {
      this.logger.warn(`Could not purge expired idempotency keys: ${(error as Error).message}`);
      return 0;
    }
  }
}
