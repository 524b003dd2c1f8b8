import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EVENT_TYPES } from '../events/event-types';

export const TASK_STATUSES = [
  'TASK_STATUS_QUEUED',
  'TASK_STATUS_RUNNING',
  'TASK_STATUS_PAUSED',
  'TASK_STATUS_COMPLETED',
  'TASK_STATUS_FAILED',
  'TASK_STATUS_CANCELLED',
  'TASK_STATUS_TIMEOUT',
] as const;

export class ErrorResponse {
  @ApiProperty({ example: 'Task not found' }) error!: string;
  @ApiPropertyOptional({ example: 'TASK_NOT_FOUND' }) code?: string;
}

export class TaskSubmittedResponse {
  @ApiProperty({ example: 'task_01HQZX3Y9K8M2P4N5S7T9W2V' }) task_id!: string;
  @ApiProperty() workflow_id!: string;
  @ApiProperty() session_id!: string;
  @ApiProperty({ example: 'submitted' }) status!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

export class TaskUsage {
  @ApiProperty() input_tokens!: number;
  @ApiProperty() output_tokens!: number;
  @ApiProperty() total_tokens!: number;
  @ApiProperty({ description: 'US dollars' }) estimated_cost!: number;
}

export class TaskStatusResponse {
  @ApiProperty() task_id!: string;
  @ApiProperty() workflow_id!: string;
  @ApiProperty({ enum: TASK_STATUSES }) status!: string;
  @ApiPropertyOptional() result?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Present when result is a JSON object' })
  response?: Record<string, unknown>;
  @ApiPropertyOptional() error?: string;
  @ApiProperty() query!: string;
  @ApiProperty() session_id!: string;
  @ApiProperty() mode!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) context!: Record<string, unknown>;
  @ApiPropertyOptional() model_used?: string;
  @ApiPropertyOptional() provider?: string;
  @ApiProperty({ type: TaskUsage }) usage!: TaskUsage;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiPropertyOptional({ format: 'date-time' }) completed_at?: string;
}

export class TaskTokenUsage {
  @ApiProperty() total_tokens!: number;
  @ApiProperty() cost_usd!: number;
  @ApiProperty() prompt_tokens!: number;
  @ApiProperty() completion_tokens!: number;
}

export class TaskListItem {
  @ApiProperty() task_id!: string;
  @ApiProperty() query!: string;
  @ApiProperty({ enum: TASK_STATUSES }) status!: string;
  @ApiProperty({ enum: ['EXECUTION_MODE_SIMPLE', 'EXECUTION_MODE_STANDARD', 'EXECUTION_MODE_COMPLEX'], description: "Shannon's ExecutionMode name (supervisor lists as STANDARD); GET /api/v1/tasks/{id} has the lowercase mode" })
  mode!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiPropertyOptional({ format: 'date-time' }) completed_at?: string;
  @ApiProperty({ type: TaskTokenUsage }) total_token_usage!: TaskTokenUsage;
}

export class TaskListResponse {
  @ApiProperty({ type: [TaskListItem] }) tasks!: TaskListItem[];
  @ApiProperty() total_count!: number;
}

export class TaskEventResponse {
  @ApiProperty() workflow_id!: string;
  @ApiProperty({ enum: EVENT_TYPES }) type!: string;
  @ApiPropertyOptional() agent_id?: string;
  @ApiPropertyOptional() message?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) payload?: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) timestamp!: string;
  @ApiProperty() seq!: number;
  @ApiPropertyOptional() stream_id?: string;
}

export class TaskEventsResponse {
  @ApiProperty({ type: [TaskEventResponse] }) events!: TaskEventResponse[];
  @ApiProperty() count!: number;
}

/** POST /api/v1/tasks/{id}/cancel|pause|resume (202). */
export class TaskControlResponse {
  @ApiProperty() success!: boolean;
  @ApiProperty({ example: 'Task cancelled successfully' }) message!: string;
  @ApiPropertyOptional() task_id?: string;
}

/** GET /api/v1/tasks/{id}/control-state: empty strings where nothing was asked. */
export class TaskControlStateResponse {
  @ApiProperty() is_paused!: boolean;
  @ApiProperty() is_cancelled!: boolean;
  @ApiProperty({ description: 'RFC 3339 or ""' }) paused_at!: string;
  @ApiProperty() pause_reason!: string;
  @ApiProperty() paused_by!: string;
  @ApiProperty() cancel_reason!: string;
  @ApiProperty() cancelled_by!: string;
}
