import type { JsonObject } from '@bufbuild/protobuf';
import { type Timestamp, timestampDate } from '@bufbuild/protobuf/wkt';
import type {
  Session,
  SessionContextResponse,
  SessionHistoryItemResponse,
  SessionResponse,
  SessionSummaryResponse,
  SessionTurnEventResponse,
  SessionTurnResponse,
  TaskEvent,
  Turn,
} from '@shannon/contracts';
import { TaskPresenter } from '../tasks/task.presenter';

const DAY_MS = 24 * 60 * 60 * 1000;

const iso = (ts: Timestamp | undefined): string | undefined => (ts ? timestampDate(ts).toISOString() : undefined);
const isoOrEmpty = (ts: Timestamp | undefined): string => iso(ts) ?? '';

function context(session: Session): SessionContextResponse | undefined {
  if (!session.externalId && !session.title) {
    return undefined;
  }
  return { external_id: session.externalId || undefined, title: session.title || undefined };
}

function durationMs(turn: Turn): number | undefined {
  return turn.startedAt && turn.completedAt ? Math.max(0, timestampDate(turn.completedAt).getTime() - timestampDate(turn.startedAt).getTime()) : undefined;
}

/** Shapes of API.md "Sessions" (reference section 8), built from the session service's messages. */
export const SessionPresenter = {
  summary(session: Session, now: Date = new Date()): SessionSummaryResponse {
    const stats = session.stats;
    const lastActivity = session.lastActivityAt ? timestampDate(session.lastActivityAt) : undefined;
    return {
      session_id: session.id,
      user_id: session.userId,
      external_id: session.externalId || undefined,
      title: session.title || undefined,
      task_count: stats?.taskCount ?? 0,
      tokens_used: stats?.tokensUsed ?? 0,
      total_cost_usd: stats?.totalCostUsd ?? 0,
      successful_tasks: stats?.successfulTasks ?? 0,
      failed_tasks: stats?.failedTasks ?? 0,
      latest_task_query: stats?.latestTaskQuery || undefined,
      latest_task_status: stats?.latestTaskStatus || undefined,
      is_active: lastActivity !== undefined && now.getTime() - lastActivity.getTime() < DAY_MS,
      context: context(session),
      created_at: isoOrEmpty(session.createdAt),
      updated_at: isoOrEmpty(session.updatedAt),
      last_activity_at: isoOrEmpty(session.lastActivityAt),
      expires_at: isoOrEmpty(session.expiresAt),
    };
  },

  detail(session: Session): SessionResponse {
    const stats = session.stats;
    return {
      session_id: session.id,
      user_id: session.userId,
      external_id: session.externalId || undefined,
      title: session.title || undefined,
      context: context(session),
      task_count: stats?.taskCount ?? 0,
      tokens_used: stats?.tokensUsed ?? 0,
      total_cost_usd: stats?.totalCostUsd ?? 0,
      cost_usd: stats?.totalCostUsd ?? 0,
      successful_tasks: stats?.successfulTasks ?? 0,
      failed_tasks: stats?.failedTasks ?? 0,
      is_research_session: false,
      created_at: isoOrEmpty(session.createdAt),
      updated_at: isoOrEmpty(session.updatedAt),
      last_activity_at: isoOrEmpty(session.lastActivityAt),
      expires_at: isoOrEmpty(session.expiresAt),
    };
  },

  historyItem(turn: Turn): SessionHistoryItemResponse {
    return {
      task_id: turn.taskId,
      workflow_id: turn.taskId,
      turn: turn.seq,
      query: turn.query,
      status: turn.status,
      mode: turn.mode || undefined,
      result: turn.result || undefined,
      error_message: turn.error || undefined,
      total_tokens: turn.inputTokens + turn.outputTokens,
      total_cost_usd: turn.costUsd,
      duration_ms: durationMs(turn),
      created_at: isoOrEmpty(turn.createdAt),
      started_at: iso(turn.startedAt),
      completed_at: iso(turn.completedAt),
      metadata: turn.interruptedBy ? { interrupted_by: turn.interruptedBy } : undefined,
    };
  },

  turn(turn: Turn, events: TaskEvent[], includePayload: boolean): SessionTurnResponse {
    const agents = [...new Set(events.map((event) => event.agentId).filter(Boolean))].sort();
    return {
      turn: turn.seq,
      task_id: turn.taskId,
      user_query: turn.query,
      final_output: turn.result || undefined,
      status: turn.status,
      timestamp: iso(turn.startedAt) ?? isoOrEmpty(turn.createdAt),
      created_at: isoOrEmpty(turn.createdAt),
      events: events.map((event) => SessionPresenter.event(event, includePayload)),
      metadata: { tokens_used: turn.inputTokens + turn.outputTokens, execution_time_ms: durationMs(turn) ?? 0, agents_involved: agents },
    };
  },

  event(event: TaskEvent, includePayload: boolean): SessionTurnEventResponse {
    const { payload, ...shown } = TaskPresenter.event(event);
    return { ...shown, created_at: shown.timestamp, payload: includePayload ? JSON.stringify((payload ?? {}) as JsonObject) : undefined };
  },
};
