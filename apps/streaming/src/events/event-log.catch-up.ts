import { Inject, Injectable, Logger } from '@nestjs/common';
import { EPHEMERAL_EVENT_TYPES, type EventType, type TaskEvent } from '@shannon/contracts';
import { STREAMING_CONFIG, type StreamingConfig } from '../config';
import type { EventBusSource, RecentEventsSource } from '../subscriptions/replay-item';
import { RecentTaskEvents } from '../subscriptions/recent-task-events';
import { TaskEventBusReader } from '../subscriptions/task-event.bus-reader';
import { toNewEventLogRow } from './event-log.mapper';
import { EventLogRepository, type NewEventLogRow } from './event-log.repository';

/** The EVENTS stream as a catch-up sees it. */
export interface CatchUpBus extends Pick<EventBusSource, 'follow'> {
  /** The stream sequence through which the event log's consumer has acked (so logged) every message. */
  loggedThrough(): Promise<number>;
  /** The task's last lasting event on the stream and its stream sequence; undefined when the stream keeps none. */
  lastLasting(tenantId: string, taskId: string): Promise<{ event: TaskEvent; streamSeq: number } | undefined>;
}

/** This process's memory of recent events (RecentTaskEvents), read instead of a consumer when it can. */
export type CatchUpMemory = Pick<RecentEventsSource, 'followAfter'>;

/** The event log as a catch-up writes it. */
export type CatchUpLog = Pick<EventLogRepository, 'insertMany' | 'streamEndSeq'>;

const TIMED_OUT = Symbol('timed out');

/**
 * Read-your-writes for a task's history (ADR 0050). The log is written in batches by a durable
 * consumer, so it lags the stream: a client that saw the task's final status (or an event on a
 * stream) and then reads the history would miss its latest events. Before a history read, the
 * events of the task that the log's consumer has not acked yet are read from the stream and
 * written to the log at once (a row the consumer writes later is skipped as a repeat). When the
 * caller saw the task finished, its STREAM_END (published just after the final status is written)
 * is waited for too. Bounded by EVENTLOG_READ_WAIT_MS; on a bus failure or at the bound the read
 * goes on with what the log has.
 */
@Injectable()
export class EventLogCatchUp {
  private readonly logger = new Logger(EventLogCatchUp.name);
  private readonly waitMs: number;

  constructor(
    @Inject(EventLogRepository) private readonly log: CatchUpLog,
    @Inject(TaskEventBusReader) private readonly bus: CatchUpBus,
    @Inject(RecentTaskEvents) private readonly memory: CatchUpMemory,
    @Inject(STREAMING_CONFIG) config: Pick<StreamingConfig, 'EVENTLOG_READ_WAIT_MS'>,
  ) {
    this.waitMs = config.EVENTLOG_READ_WAIT_MS;
  }

  /**
   * Writes to the log every lasting event of the task on the stream now that it may still lack,
   * and, when `taskFinished`, the task's events through its STREAM_END.
   */
  async catchUp(tenantId: string, taskId: string, taskFinished: boolean): Promise<void> {
    const stop = new AbortController();
    const deadline = setTimeout(() => stop.abort(), this.waitMs);
    try {
      const rows = await this.missingRows(tenantId, taskId, taskFinished, stop.signal);
      if (rows.length > 0) {
        await this.log.insertMany(rows);
      }
    } catch (error) {
      this.logger.warn(`History of ${taskId} read from the log alone: ${(error as Error).message}`);
    } finally {
      clearTimeout(deadline);
      stop.abort();
    }
  }

  private async missingRows(tenantId: string, taskId: string, taskFinished: boolean, signal: AbortSignal): Promise<NewEventLogRow[]> {
    const looked = await untilAborted(Promise.all([this.bus.loggedThrough(), this.bus.lastLasting(tenantId, taskId)]), signal);
    if (looked === TIMED_OUT) {
      throw new Error(`the event stream did not answer within ${this.waitMs} ms`);
    }
    const [loggedThrough, last] = looked;
    // The seq the log must reach: the task's last lasting event on the stream, when the log's
    // consumer has not acked it yet (at or below its ack floor, everything is logged).
    const through = last && last.streamSeq > loggedThrough ? last.event.seq : undefined;
    const awaitEnd = taskFinished && last?.event.type !== 'STREAM_END' && (await this.log.streamEndSeq(tenantId, taskId)) === undefined;
    if (through === undefined && !awaitEnd) {
      return [];
    }
    const rows = new Map<bigint, NewEventLogRow>();
    let reached = through === undefined;
    let ended = !awaitEnd;
    const events =
      this.memory.followAfter(tenantId, taskId, loggedThrough, signal) ?? this.bus.follow(tenantId, taskId, { streamSeq: loggedThrough + 1 }, signal);
    for await (const event of events) {
      if (event.workflowId !== taskId || event.tenantId !== tenantId) {
        continue;
      }
      if (!EPHEMERAL_EVENT_TYPES.has(event.type as EventType)) {
        rows.set(event.seq, toNewEventLogRow(event));
      }
      reached ||= event.seq >= (through ?? 0n);
      ended ||= event.type === 'STREAM_END';
      if (reached && ended) {
        return [...rows.values()];
      }
    }
    // The bound was hit: what was read is still written (a task that never sent its STREAM_END is
    // read from what it has; a stream read that fell short is reported).
    if (!reached) {
      this.logger.warn(`History of ${taskId}: the event stream was read up to seq ${[...rows.keys()].pop() ?? 'none'} of ${through} within ${this.waitMs} ms`);
    }
    return [...rows.values()];
  }
}

/** `work`'s outcome, or TIMED_OUT once `signal` aborts (a later failure of `work` is then ignored). */
async function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | typeof TIMED_OUT> {
  work.catch(() => undefined);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<typeof TIMED_OUT>((resolve) => {
    onAbort = () => resolve(TIMED_OUT);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    if (onAbort) {
      signal.removeEventListener('abort', onAbort);
    }
  }
}
