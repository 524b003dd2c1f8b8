/**
 * The events waiting for one live follower, in arrival order. Bounded: a follower that falls
 * `limit` events behind is failed (it subscribes again from its last seq) rather than holding
 * memory without end.
 */
export class EventQueue<T> implements AsyncIterable<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  private wake?: () => void;
  private failure?: Error;
  private closed = false;

  constructor(
    private readonly limit: number,
    private readonly overflow: () => Error,
  ) {}

  push(item: T): void {
    if (this.closed || this.failure) {
      return;
    }
    if (this.items.length - this.head >= this.limit) {
      this.fail(this.overflow());
      return;
    }
    this.items.push(item);
    this.wake?.();
  }

  /** Ends the iteration with `error` (waiting items are dropped). */
  fail(error: Error): void {
    this.failure ??= error;
    this.wake?.();
  }

  /** Ends the iteration once the waiting items are read. */
  close(): void {
    this.closed = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      if (this.failure) {
        throw this.failure;
      }
      if (this.head < this.items.length) {
        const item = this.items[this.head] as T;
        this.items[this.head] = undefined;
        this.head += 1;
        if (this.head === this.items.length) {
          this.items = [];
          this.head = 0;
        }
        yield item;
        continue;
      }
      if (this.closed) {
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}
