/**
 * A fixed-capacity FIFO addressed by absolute position: the n-th item ever pushed is at n, and
 * stays readable at n until it is pushed out by newer ones. Readers keep their own position.
 */
export class RingBuffer<T> {
  private readonly slots: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError('capacity must be a positive integer');
    }
    this.slots = new Array<T | undefined>(capacity);
  }

  /** Absolute position of the oldest item still kept. */
  get first(): number {
    return this.start;
  }

  /** Absolute position the next pushed item will get. */
  get end(): number {
    return this.start + this.count;
  }

  get size(): number {
    return this.count;
  }

  /** Appends an item; returns the item it pushed out, if the buffer was full. */
  push(item: T): T | undefined {
    let evicted: T | undefined;
    if (this.count === this.capacity) {
      evicted = this.slots[this.start % this.capacity];
      this.start += 1;
      this.count -= 1;
    }
    this.slots[(this.start + this.count) % this.capacity] = item;
    this.count += 1;
    return evicted;
  }

  /** The item at an absolute position, or undefined when it was pushed out or not pushed yet. */
  at(position: number): T | undefined {
    return position >= this.start && position < this.end ? this.slots[position % this.capacity] : undefined;
  }

  /** The first position whose item satisfies `predicate` (items must be ordered so it is monotonic), or `end`. */
  findFirst(predicate: (item: T) => boolean): number {
    let low = this.start;
    let high = this.end;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (predicate(this.slots[middle % this.capacity] as T)) {
        high = middle;
      } else {
        low = middle + 1;
      }
    }
    return low;
  }
}
