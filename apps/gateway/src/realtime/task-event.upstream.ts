import { Code, ConnectError } from '@connectrpc/connect';
import { Injectable, Logger } from '@nestjs/common';
import { identityHeaders, type Principal } from '@shannon/auth';
import type { SubscribeResponse } from '@shannon/contracts';
import { InternalClients } from '../clients/internal-clients';
import { TaskPresenter } from '../tasks/task.presenter';
import { cursorAfter, isStreamEnd, type StreamItem } from './stream-item';

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5_000;
/** Consecutive failed attempts (about half a minute of back-off) before the caller is told. */
const MAX_ATTEMPTS = 12;
/** Failures that retrying cannot fix. */
const FINAL_CODES = new Set([Code.InvalidArgument, Code.NotFound, Code.PermissionDenied, Code.Unauthenticated, Code.FailedPrecondition, Code.Unimplemented]);

/** A task's events from the streaming service, as one call or one shared feed needs them. */
export interface TaskEventSource {
  /**
   * Items with a resume point after `afterSeq`, in order, until STREAM_END, the end of the task
   * (a resume point after its end), or the signal. A dropped call is resumed from the last item.
   */
  follow(principal: Principal, taskId: string, afterSeq: number, types: readonly string[], signal: AbortSignal): AsyncIterable<StreamItem>;
}

@Injectable()
export class TaskEventUpstream implements TaskEventSource {
  private readonly logger = new Logger(TaskEventUpstream.name);

  constructor(private readonly clients: InternalClients) {}

  async *follow(principal: Principal, taskId: string, afterSeq: number, types: readonly string[], signal: AbortSignal): AsyncGenerator<StreamItem> {
    let cursor = afterSeq;
    let failures = 0;
    while (!signal.aborted) {
      try {
        const calls = this.clients.streaming.subscribe({ taskId, afterSeq: BigInt(cursor), types: [...types] }, { headers: identityHeaders(principal), signal });
        for await (const response of calls) {
          const item = toItem(taskId, response);
          if (!item || cursorAfter(item) <= cursor) {
            continue;
          }
          failures = 0;
          cursor = cursorAfter(item);
          yield item;
          if (isStreamEnd(item)) {
            return;
          }
        }
        // The service ends a call without STREAM_END only when the task ended before the resume point.
        return;
      } catch (error) {
        if (signal.aborted) {
          return;
        }
        const connectError = ConnectError.from(error);
        failures += 1;
        if (FINAL_CODES.has(connectError.code) || failures >= MAX_ATTEMPTS) {
          throw error;
        }
        const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.min(failures - 1, 10));
        this.logger.warn(`Events of ${taskId} interrupted (${connectError.rawMessage}); resuming after seq ${cursor} in ${delay} ms`);
        await pause(delay, signal);
      }
    }
  }
}

function toItem(taskId: string, response: SubscribeResponse): StreamItem | undefined {
  switch (response.item.case) {
    case 'event': {
      const event = TaskPresenter.event(response.item.value);
      return { kind: 'event', seq: event.seq, event };
    }
    case 'gap': {
      const gap = response.item.value;
      return { kind: 'gap', workflowId: taskId, fromSeq: Number(gap.fromSeq), toSeq: Number(gap.toSeq), reason: gap.reason };
    }
    case undefined:
      return undefined;
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
