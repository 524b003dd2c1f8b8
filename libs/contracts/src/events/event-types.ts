/**
 * Every event type a task can emit, once, for producers, consumers and the OpenAPI document.
 * Names follow Shannon's taxonomy (reference section 3.2).
 */
export const EVENT_TYPES = [
  'WORKFLOW_STARTED',
  'WORKFLOW_COMPLETED',
  'WORKFLOW_FAILED',
  'AGENT_STARTED',
  'AGENT_COMPLETED',
  'AGENT_THINKING',
  'STATUS_UPDATE',
  'DATA_PROCESSING',
  'PROGRESS',
  'DELEGATION',
  'LLM_PROMPT',
  'LLM_PARTIAL',
  'LLM_OUTPUT',
  'TOOL_INVOKED',
  'TOOL_OBSERVATION',
  'ERROR_OCCURRED',
  'ERROR_RECOVERY',
  'WARNING',
  'BUDGET_THRESHOLD',
  'APPROVAL_REQUESTED',
  'APPROVAL_DECISION',
  'WORKFLOW_PAUSING',
  'WORKFLOW_PAUSED',
  'WORKFLOW_RESUMED',
  'WORKFLOW_CANCELLING',
  'WORKFLOW_CANCELLED',
  'STREAM_END',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** Token deltas live only on the bus; the event log keeps everything else. */
export const EPHEMERAL_EVENT_TYPES: ReadonlySet<EventType> = new Set<EventType>(['LLM_PARTIAL', 'LLM_PROMPT']);

/** Events that end a task (any of them may be the first to arrive). */
export const TERMINAL_EVENT_TYPES: ReadonlySet<EventType> = new Set<EventType>(['WORKFLOW_COMPLETED', 'WORKFLOW_FAILED', 'WORKFLOW_CANCELLED', 'STREAM_END']);

/** A task's start and every event that may end it: what a session's turn follows. */
export const LIFECYCLE_EVENT_TYPES: ReadonlySet<EventType> = new Set<EventType>(['WORKFLOW_STARTED', ...TERMINAL_EVENT_TYPES]);

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}
