/** At most `limit` holders at once; the others wait in order. */
export class Semaphore {
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  get inUse(): number {
    return this.held;
  }

  /** Resolves with the release function once a slot is free; rejects if the signal aborts first. */
  acquire(signal: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal.removeEventListener('abort', onAbort);
        this.held += 1;
        let released = false;
        resolve(() => {
          if (!released) {
            released = true;
            this.held -= 1;
            this.waiting.shift()?.();
          }
        });
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(grant);
        if (index >= 0) {
          this.waiting.splice(index, 1);
        }
        reject(signal.reason ?? new Error('aborted'));
      };
      if (signal.aborted) {
        reject(signal.reason ?? new Error('aborted'));
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      if (this.held < this.limit) {
        grant();
      } else {
        this.waiting.push(grant);
      }
    });
  }
}
