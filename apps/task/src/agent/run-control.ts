/** Why a run stopped before its end. cancel and timeout settle the task; the others hand it back. */
export type StopReason = 'cancel' | 'timeout' | 'shutdown' | 'lease_lost';

export class RunStoppedError extends Error {
  override readonly name = 'RunStoppedError';

  constructor(readonly reason: StopReason) {
    super(`The run stopped: ${reason}`);
  }
}

/**
 * The control surface of one running task: an AbortSignal that reaches the in-flight model or tool
 * call, and a pause gate the run holds at between steps. Fed by control signals, lease renewals,
 * the deadline timer and shutdown.
 */
export class RunControl {
  private readonly controller = new AbortController();
  private stopReason?: StopReason;
  private paused = false;
  private wakers: (() => void)[] = [];

  constructor(private readonly listeners: { onCancelRequested?: () => void; onPauseRequested?: () => void } = {}) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get reason(): StopReason | undefined {
    return this.stopReason;
  }

  get pauseRequested(): boolean {
    return this.paused;
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
    if (this.paused || this.stopReason) {
      return false;
    }
    this.paused = true;
    this.listeners.onPauseRequested?.();
    return true;
  }

  requestResume(): boolean {
    if (!this.paused) {
      return false;
    }
    this.paused = false;
    this.wake();
    return true;
  }

  /** Resolves once resumed or stopped. */
  async whilePaused(): Promise<void> {
    while (this.paused && !this.stopReason) {
      await new Promise<void>((resolve) => this.wakers.push(resolve));
    }
  }

  private wake(): void {
    const wakers = this.wakers;
    this.wakers = [];
    wakers.forEach((wake) => wake());
  }
}
