import { timestampDate } from '@bufbuild/protobuf/wkt';
import type { Timestamp } from '@bufbuild/protobuf/wkt';
import {
  type ControlState,
  type TaskControlStateResponse,
  type TaskSubmittedResponse,
  type Task,
  type TaskEvent,
  type TaskEventResponse,
  type TaskListItem,
  TaskStatus,
  type TaskStatusResponse,
} from '@shannon/contracts';

const iso = (ts: Timestamp | undefined): string | undefined => (ts ? timestampDate(ts).toISOString() : undefined);

export function statusName(status: TaskStatus): string {
  return `TASK_STATUS_${TaskStatus[status]}`;
}

/**
 * The task list names modes as Shannon's `ExecutionMode` enum does (its GET keeps the lowercase
 * word): simple and complex by name, every other mode (standard, supervisor) as STANDARD.
 */
export function executionModeName(mode: string): string {
  switch (mode) {
    case 'simple':
      return 'EXECUTION_MODE_SIMPLE';
    case 'complex':
      return 'EXECUTION_MODE_COMPLEX';
    default:
      return 'EXECUTION_MODE_STANDARD';
  }
}

/** A task's session as its client named it (its own id or the UUID it sent); the UUID when it sent none, as Shannon answers. */
const sessionIdOf = (task: Task): string => task.clientSessionId || task.sessionId;

/** Shapes of API.md, built from the task service's messages. */
export const TaskPresenter = {
  submitted(task: Task): TaskSubmittedResponse {
    const sessionId = sessionIdOf(task);
    return {
      task_id: task.taskId,
      workflow_id: task.taskId,
      session_id: sessionId,
      status: 'submitted',
      message: `Task submitted successfully. Session: ${sessionId}`,
      created_at: iso(task.createdAt) ?? new Date().toISOString(),
    };
  },

  status(task: Task): TaskStatusResponse {
    const usage = task.usage;
    return {
      task_id: task.taskId,
      workflow_id: task.taskId,
      status: statusName(task.status),
      result: task.result || undefined,
      response: parseJsonObject(task.result),
      error: task.error || undefined,
      query: task.query,
      session_id: sessionIdOf(task),
      mode: task.mode,
      context: task.context ?? {},
      model_used: task.modelUsed || undefined,
      provider: task.provider || undefined,
      usage: {
        input_tokens: usage?.inputTokens ?? 0,
        output_tokens: usage?.outputTokens ?? 0,
        total_tokens: usage?.totalTokens ?? 0,
        estimated_cost: usage?.estimatedCost ?? 0,
      },
      metadata: { model_tier: task.modelTier, ...(task.traceId ? { trace_id: task.traceId } : {}) },
      created_at: iso(task.createdAt) ?? '',
      updated_at: iso(task.updatedAt) ?? '',
      completed_at: iso(task.completedAt),
    };
  },

  listItem(task: Task): TaskListItem {
    return {
      task_id: task.taskId,
      query: task.query,
      status: statusName(task.status),
      mode: executionModeName(task.mode),
      created_at: iso(task.createdAt) ?? '',
      completed_at: iso(task.completedAt),
      total_token_usage: {
        total_tokens: task.usage?.totalTokens ?? 0,
        cost_usd: task.usage?.estimatedCost ?? 0,
        prompt_tokens: task.usage?.inputTokens ?? 0,
        completion_tokens: task.usage?.outputTokens ?? 0,
      },
    };
  },

  controlState(state: ControlState | undefined): TaskControlStateResponse {
    return {
      is_paused: state?.isPaused ?? false,
      is_cancelled: state?.isCancelled ?? false,
      paused_at: iso(state?.pausedAt) ?? '',
      pause_reason: state?.pauseReason ?? '',
      paused_by: state?.pausedBy ?? '',
      cancel_reason: state?.cancelReason ?? '',
      cancelled_by: state?.cancelledBy ?? '',
    };
  },

  event(event: TaskEvent): TaskEventResponse {
    const timestamp = iso(event.timestamp) ?? '';
    return {
      workflow_id: event.workflowId,
      type: event.type,
      agent_id: event.agentId || undefined,
      message: event.message || undefined,
      payload: event.payload && Object.keys(event.payload).length > 0 ? event.payload : undefined,
      timestamp,
      seq: Number(event.seq),
      stream_id: `${Date.parse(timestamp) || 0}-${event.seq}`,
    };
  },
};

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  if (!text.trimStart().startsWith('{')) {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
