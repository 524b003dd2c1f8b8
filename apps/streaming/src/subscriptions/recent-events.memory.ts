import type { TaskEvent } from '@shannon/contracts';
import { AppError, ErrorCode } from '@shannon/errors';
import { EventQueue } from './event-queue';

/** Events kept per task: of a longer task only the latest are served from memory. */
export const MAX_EVENTS_PER_TASK = 1_024;
/** Events a live follower may fall behind before it is told to subscribe again. */
export const MAX_FOLLOWER_LAG = 4_096;

interface KeptEvents {
  /** In stream order. */
  events: { event: TaskEvent; streamSeq: number }[];
  /**
   * The seq of the first event kept (raised as events are dropped): every event of the task from
   * this seq on reaches this process (a task seen first in the middle is served from its middle).
   */
  from: bigint;
  /** The stream sequence of the last event dropped to stay within MAX_EVENTS_PER_TASK (0: none). */
  droppedStreamSeq: number;
}

/**
 * The latest events of the tasks this process has read from the EVENTS stream (a bounded number
 * in all, least recently active tasks forgotten first), keyed by a task key of the caller's, and
 * the followers reading them live. A follower is handed what is kept and then each event as it is
 * recorded, with nothing in between to miss: both happen in one turn of the event loop.
 */
export class RecentEventsMemory {
  /** Map order is activity order: a task that gets an event moves to the end. */
  private readonly tasks = new Map<string, KeptEvents>();
  private readonly followers = new Map<string, Set<EventQueue<TaskEvent>>>();
  private kept = 0;
  /** The stream sequence of the last event recorded when a task was last forgotten (0: never). */
  private forgottenAt = 0;

  constructor(private readonly maxEvents: number) {}

  /** Keeps an event read from the stream (in stream order) and hands it to the task's followers. */
  record(taskKey: string, event: TaskEvent, streamSeq: number): void {
    this.followers.get(taskKey)?.forEach((queue) => queue.push(event));
    if (this.maxEvents === 0) {
      return;
    }
    let task = this.tasks.get(taskKey);
    if (task) {
      this.tasks.delete(taskKey);
    } else {
      task = { events: [], from: event.seq, droppedStreamSeq: 0 };
    }
    this.tasks.set(taskKey, task);
    task.events.push({ event, streamSeq });
    this.kept += 1;
    if (task.events.length > MAX_EVENTS_PER_TASK) {
      const dropped = task.events.shift();
      if (dropped) {
        task.from = task.from > dropped.event.seq ? task.from : dropped.event.seq + 1n;
        task.droppedStreamSeq = dropped.streamSeq;
        this.kept -= 1;
      }
    }
    this.forgetLeastActive(streamSeq);
  }

  /**
   * The task's events from seq `nextSeq` on (kept ones first, then live), or undefined when what is
   * kept does not reach back that far. The follower ends when `signal` aborts.
   */
  followFrom(taskKey: string, nextSeq: bigint, signal: AbortSignal): AsyncIterable<TaskEvent> | undefined {
    const task = this.tasks.get(taskKey);
    if (!task || task.from > nextSeq) {
      return undefined;
    }
    return this.follow(taskKey, task, signal);
  }

  /**
   * The task's events published after stream sequence `streamSeq` (kept ones first, then live), or
   * undefined when some of them may have been forgotten. `readingSince` is the first stream
   * sequence this process read.
   */
  followAfter(taskKey: string, streamSeq: number, readingSince: number, signal: AbortSignal): AsyncIterable<TaskEvent> | undefined {
    const task = this.tasks.get(taskKey);
    if (readingSince > streamSeq + 1 || this.forgottenAt > streamSeq || (task?.droppedStreamSeq ?? 0) > streamSeq) {
      return undefined;
    }
    return this.follow(taskKey, task, signal);
  }

  /** Ends every follower with `error` (the stream can no longer be read); what is kept is dropped. */
  failAll(error: Error): void {
    this.followers.forEach((queues) => queues.forEach((queue) => queue.fail(error)));
    this.followers.clear();
    this.tasks.clear();
    this.kept = 0;
  }

  get followerCount(): number {
    let count = 0;
    this.followers.forEach((queues) => (count += queues.size));
    return count;
  }

  private follow(taskKey: string, task: KeptEvents | undefined, signal: AbortSignal): AsyncIterable<TaskEvent> {
    const queue = new EventQueue<TaskEvent>(MAX_FOLLOWER_LAG, () => new AppError(ErrorCode.Unavailable, "The subscription fell behind the task's events; subscribe again"));
    task?.events.forEach(({ event }) => queue.push(event));
    let queues = this.followers.get(taskKey);
    if (!queues) {
      queues = new Set();
      this.followers.set(taskKey, queues);
    }
    queues.add(queue);
    const stop = () => {
      queue.close();
      const current = this.followers.get(taskKey);
      current?.delete(queue);
      if (current?.size === 0) {
        this.followers.delete(taskKey);
      }
    };
    if (signal.aborted) {
      stop();
    } else {
      signal.addEventListener('abort', stop, { once: true });
    }
    return queue;
  }

  private forgetLeastActive(streamSeq: number): void {
    for (const [taskKey, task] of this.tasks) {
      if (this.kept <= this.maxEvents) {
        return;
      }
      this.tasks.delete(taskKey);
      this.kept -= task.events.length;
      this.forgottenAt = streamSeq;
    }
  }
}
