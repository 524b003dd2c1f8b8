/** Why a run stopped before its end. cancel and timeout settle the task; the others hand it back. */
export type StopReason = 'cancel' | 'timeout' | 'shutdown' | 'lease_lost';

export class RunStoppedError extends Error {
  override readonly name = 'RunStoppedError';

  constructor(readonly reason: StopReason) {
    super(`The run stopped: ${reason}`);
  }
}

/** What the run says when it holds at a pause and when it goes on from there. */
export interface HoldAnnouncements {
  held: () => Promise<unknown>;
  resumed: () => Promise<unknown>;
}

export interface RunControlListeners {
  onCancelRequested?: () => void;
  onPauseRequested?: () => void;
  /** A resume arrived before the run held: the pause it announced is withdrawn. */
  onPauseWithdrawn?: () => void;
}

/**
 * The control surface of one running task: an AbortSignal that reaches the in-flight model or tool
 * call, and a pause gate the run holds at between steps. Fed by control signals, lease renewals,
 * the deadline timer and shutdown.
 *
 * A pause is `requested` until the run reaches a step boundary, then `holding` until resumed. Every
 * request is answered on the run's event stream (ADR 0015): pausing is followed by paused, by
 * resumed (a resume before the hold withdraws it), or by the run's end.
 */
export class RunControl {
  private readonly controller = new AbortController();
  private stopReason?: StopReason;
  private pause: 'none' | 'requested' | 'holding' = 'none';
  private pauseChanges = 0;
  private holding?: Promise<void>;
  private wakers: (() => void)[] = [];

  constructor(private readonly listeners: RunControlListeners = {}) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get reason(): StopReason | undefined {
    return this.stopReason;
  }

  get pauseRequested(): boolean {
    return this.pause !== 'none';
  }

  /**
   * How many times a pause or resume changed the state so far: a reading of the row taken while
   * this moved may be older than the signal that moved it.
   */
  get pauseVersion(): number {
    return this.pauseChanges;
  }

  /** Aborts the in-flight call now; the first reason wins. */
  stop(reason: StopReason): void {
    if (this.stopReason) {
      return;
    }
    this.stopReason = reason;
    if (reason === 'cancel') {
      this.listeners.onCancelRequested?.();
    }
    this.controller.abort(new RunStoppedError(reason));
    this.wake();
  }

  throwIfStopped(): void {
    if (this.stopReason) {
      throw new RunStoppedError(this.stopReason);
    }
  }

  /** true when this changed the state (a new request). */
  requestPause(): boolean {
    if (this.pause !== 'none' || this.stopReason) {
      return false;
    }
    this.pause = 'requested';
    this.pauseChanges += 1;
    this.listeners.onPauseRequested?.();
    return true;
  }

  /** true when this changed the state; a pause not held yet is withdrawn, a held one lets go. */
  requestResume(): boolean {
    if (this.pause === 'none') {
      return false;
    }
    const withdrawn = this.pause === 'requested';
    this.pause = 'none';
    this.pauseChanges += 1;
    if (withdrawn && !this.stopReason) {
      this.listeners.onPauseWithdrawn?.();
    }
    this.wake();
    return true;
  }

  /**
   * At a step boundary: holds while a pause is requested, until resumed or stopped. Callers at a
   * boundary together (parallel subtasks) share one hold, so it is announced once.
   */
  holdWhilePaused(announce: HoldAnnouncements): Promise<void> {
    if (this.pause === 'none' || this.stopReason) {
      return this.holding ?? Promise.resolve();
    }
    this.holding ??= this.hold(announce).finally(() => {
      this.holding = undefined;
    });
    return this.holding;
  }

  /** Resolves once resumed or stopped. */
  async whilePaused(): Promise<void> {
    while (this.pause !== 'none' && !this.stopReason) {
      await new Promise<void>((resolve) => this.wakers.push(resolve));
    }
  }

  private async hold(announce: HoldAnnouncements): Promise<void> {
    this.pause = 'holding';
    await announce.held();
    await this.whilePaused();
    if (!this.stopReason) {
      await announce.resumed();
    }
  }

  private wake(): void {
    const wakers = this.wakers;
    this.wakers = [];
    wakers.forEach((wake) => wake());
  }
}
