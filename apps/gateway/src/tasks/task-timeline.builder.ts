import { timestampDate } from '@bufbuild/protobuf/wkt';
import { type EventType, type Task, type TaskEvent, type TaskTimelineResponse, type TimelineEntry, type TimelineMode } from '@shannon/contracts';
import { isFinishedStatus } from './task-status';
import { statusName } from './task.presenter';

/** The events a summary keeps: the task's lifecycle, not its chatter. */
const LIFECYCLE: ReadonlySet<string> = new Set<EventType>([
  'WORKFLOW_STARTED',
  'WORKFLOW_COMPLETED',
  'WORKFLOW_FAILED',
  'WORKFLOW_PAUSING',
  'WORKFLOW_PAUSED',
  'WORKFLOW_RESUMED',
  'WORKFLOW_CANCELLING',
  'WORKFLOW_CANCELLED',
  'AGENT_STARTED',
  'AGENT_COMPLETED',
  'DELEGATION',
  'LLM_OUTPUT',
  'TOOL_INVOKED',
  'TOOL_OBSERVATION',
  'ERROR_OCCURRED',
  'ERROR_RECOVERY',
  'APPROVAL_REQUESTED',
  'APPROVAL_DECISION',
  'BUDGET_THRESHOLD',
]);
const SUMMARY_MESSAGE_LENGTH = 200;

export interface TimelineOptions {
  mode: TimelineMode;
  includePayloads: boolean;
  now: Date;
}

/** A task's lifecycle from its record (submitted, finished) and its persisted events, oldest first. */
export function buildTimeline(task: Task, events: readonly TaskEvent[], options: TimelineOptions): TaskTimelineResponse {
  const submittedAt = task.createdAt ? timestampDate(task.createdAt) : options.now;
  const entry = (fields: Omit<TimelineEntry, 'workflow_id' | 'elapsed_ms' | 'timestamp' | 'created_at'> & { at: Date }): TimelineEntry => {
    const { at, ...rest } = fields;
    const timestamp = at.toISOString();
    return { ...rest, workflow_id: task.taskId, timestamp, created_at: timestamp, elapsed_ms: Math.max(0, at.getTime() - submittedAt.getTime()) };
  };
  const entries: TimelineEntry[] = [entry({ id: `${task.taskId}:submitted`, type: 'TASK_SUBMITTED', message: 'Task submitted', seq: 0, at: submittedAt })];
  const counts: Record<string, number> = {};
  let startedAt: Date | undefined;
  for (const event of events) {
    counts[event.type] = (counts[event.type] ?? 0) + 1;
    const at = event.timestamp ? timestampDate(event.timestamp) : submittedAt;
    if (event.type === 'WORKFLOW_STARTED') {
      startedAt ??= at;
    }
    if (options.mode === 'summary' && !LIFECYCLE.has(event.type)) {
      continue;
    }
    const payload = event.payload && Object.keys(event.payload).length > 0 ? event.payload : undefined;
    entries.push(
      entry({
        id: `${task.taskId}:${event.seq}`,
        type: event.type,
        agent_id: event.agentId || undefined,
        message: options.mode === 'summary' ? shorten(event.message) : event.message,
        seq: Number(event.seq),
        at,
        payload: options.includePayloads ? payload : undefined,
      }),
    );
  }
  const completedAt = task.completedAt ? timestampDate(task.completedAt) : undefined;
  if (isFinishedStatus(task.status) && completedAt) {
    entries.push(entry({ id: `${task.taskId}:finished`, type: statusName(task.status), message: task.error || 'Task finished', seq: 0, at: completedAt }));
  }
  entries.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp) || a.seq - b.seq);
  return {
    workflow_id: task.taskId,
    events: entries,
    stats: {
      total: entries.length,
      mode: options.mode,
      status: statusName(task.status),
      duration_ms: Math.max(0, (completedAt ?? options.now).getTime() - submittedAt.getTime()),
      queue_ms: startedAt ? Math.max(0, startedAt.getTime() - submittedAt.getTime()) : undefined,
      event_counts: counts,
    },
  };
}

function shorten(message: string): string {
  return message.length > SUMMARY_MESSAGE_LENGTH ? `${message.slice(0, SUMMARY_MESSAGE_LENGTH - 1)}…` : message;
}
