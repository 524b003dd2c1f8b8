import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { SESSION_CONFIG, type SessionConfig } from '../config';
import { SessionRepository } from '../sessions/session.repository';
import { TaskOutcomeReader } from '../turns/task-outcome.reader';
import { TurnRepository } from '../turns/turn.repository';
import { SessionRetention } from './session-retention';

export interface SweepReport {
  expiredSessions: number;
  abandonedTurns: number;
}

/**
 * Removes expired sessions (with their turns) in batches of `SESSION_SWEEP_BATCH_SIZE`, each its
 * own short statement that skips rows someone else holds, so no sweep takes a long lock; replicas
 * share the work. It also drops turn reservations whose task was never created (a gateway that
 * died between reserving and submitting), so they do not hold up the turns after them.
 */
@Injectable()
export class SessionSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SessionSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly sessions: SessionRepository,
    private readonly turns: TurnRepository,
    private readonly tasks: TaskOutcomeReader,
    private readonly retention: SessionRetention,
    @Inject(SESSION_CONFIG) private readonly config: SessionConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), this.config.SESSION_SWEEP_INTERVAL_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) {
      return;
    }
    this.running = this.sweep()
      .catch((error: Error) => this.logger.warn(`Session sweep failed, will retry: ${error.message}`))
      .finally(() => {
        this.running = undefined;
      });
  }

  async sweep(now: Date = new Date()): Promise<SweepReport> {
    const batch = this.config.SESSION_SWEEP_BATCH_SIZE;
    let expiredSessions = 0;
    for (;;) {
      const removed = await this.sessions.deleteExpired(this.retention.cutoff(now), batch);
      expiredSessions += removed;
      if (removed < batch) {
        break;
      }
    }
    const abandonedTurns = await this.dropAbandonedReservations(now);
    if (expiredSessions + abandonedTurns > 0) {
      this.logger.log(`Swept ${expiredSessions} expired session(s) and ${abandonedTurns} abandoned turn reservation(s)`);
    }
    return { expiredSessions, abandonedTurns };
  }

  private async dropAbandonedReservations(now: Date): Promise<number> {
    const stale = await this.turns.staleReservations(new Date(now.getTime() - this.config.SESSION_TURN_RESERVATION_MS), this.config.SESSION_SWEEP_BATCH_SIZE);
    let dropped = 0;
    for (const turn of stale) {
      let read;
      try {
        read = await this.tasks.read({ tenantId: turn.tenantId, userId: turn.userId }, turn.taskId);
      } catch (error) {
        // The task service is unreachable: keep the reservations until a later sweep can tell.
        this.logger.warn(`Cannot check turn reservations now: ${(error as Error).message}`);
        break;
      }
      if (read.kind === 'missing' && (await this.turns.abandon(turn.tenantId, turn.taskId))) {
        dropped += 1;
      }
    }
    return dropped;
  }
}
