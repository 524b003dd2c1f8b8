/**
 * Hands a model's text deltas to the bus without making the model wait for it. A delta goes out
 * at once when none is in flight; the deltas that come while one is in flight gather and go as
 * one when it is acknowledged (whole deltas, at most `maxChars` together). So a slow model's
 * tokens each go alone, with no added delay, and a fast one's go in as many events as the bus
 * can take (ADR 0051): the text, its order and its end are the same either way.
 *
 * A send that fails stops the deltas: the next `push` or `flush` throws its error.
 */
export class DeltaCoalescer {
  private pending: string[] = [];
  private sending?: Promise<void>;
  private failure?: Error;

  constructor(
    private readonly send: (text: string) => Promise<unknown>,
    /** Text one send carries at most when deltas gather (a single longer delta still goes whole). */
    private readonly maxChars: number,
  ) {}

  push(text: string): void {
    if (this.failure) {
      throw this.failure;
    }
    if (text === '') {
      return;
    }
    this.pending.push(text);
    // Started in this turn: the first delta's event takes its place in the task's order now.
    this.sending ??= this.drain();
  }

  /** Resolves when every delta pushed so far is sent; throws the error of a failed send. */
  async flush(): Promise<void> {
    await this.sending;
    if (this.failure) {
      throw this.failure;
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        await this.send(this.take());
      }
    } catch (error) {
      this.failure = error as Error;
      this.pending = [];
    } finally {
      this.sending = undefined;
    }
  }

  /** The oldest pending deltas, joined, within `maxChars` (at least one). */
  private take(): string {
    let chars = this.pending[0].length;
    let count = 1;
    while (count < this.pending.length && chars + this.pending[count].length <= this.maxChars) {
      chars += this.pending[count].length;
      count += 1;
    }
    return this.pending.splice(0, count).join('');
  }
}
