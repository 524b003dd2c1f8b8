import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EVENT_TYPES } from '../events/event-types';

export class SessionContextResponse {
  @ApiPropertyOptional({ description: 'The client’s own id, when it named the session with one.' }) external_id?: string;
  @ApiPropertyOptional() title?: string;
}

/** An item of GET /api/v1/sessions. */
export class SessionSummaryResponse {
  @ApiProperty({ description: 'The session UUID.' }) session_id!: string;
  @ApiProperty() user_id!: string;
  @ApiPropertyOptional() external_id?: string;
  @ApiPropertyOptional() title?: string;
  @ApiProperty() task_count!: number;
  @ApiProperty() tokens_used!: number;
  @ApiProperty({ description: 'US dollars' }) total_cost_usd!: number;
  @ApiProperty() successful_tasks!: number;
  @ApiProperty() failed_tasks!: number;
  @ApiPropertyOptional() latest_task_query?: string;
  @ApiPropertyOptional() latest_task_status?: string;
  @ApiProperty({ description: 'Activity in the last 24 hours.' }) is_active!: boolean;
  @ApiPropertyOptional({ type: SessionContextResponse }) context?: SessionContextResponse;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiProperty({ format: 'date-time' }) last_activity_at!: string;
  @ApiProperty({ format: 'date-time', description: 'last_activity_at plus the retention period' }) expires_at!: string;
}

export class SessionListResponse {
  @ApiProperty({ type: [SessionSummaryResponse] }) sessions!: SessionSummaryResponse[];
  @ApiProperty() total_count!: number;
}

/** GET /api/v1/sessions/{id}. */
export class SessionResponse {
  @ApiProperty({ description: 'Always the UUID, also when asked by external id.' }) session_id!: string;
  @ApiProperty() user_id!: string;
  @ApiPropertyOptional() external_id?: string;
  @ApiPropertyOptional() title?: string;
  @ApiPropertyOptional({ type: SessionContextResponse }) context?: SessionContextResponse;
  @ApiProperty() task_count!: number;
  @ApiProperty() tokens_used!: number;
  @ApiProperty({ description: 'US dollars' }) total_cost_usd!: number;
  @ApiProperty({ description: 'Same as total_cost_usd (the field Shannon’s SDK reads).' }) cost_usd!: number;
  @ApiProperty() successful_tasks!: number;
  @ApiProperty() failed_tasks!: number;
  @ApiProperty() is_research_session!: boolean;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiProperty({ format: 'date-time' }) last_activity_at!: string;
  @ApiProperty({ format: 'date-time' }) expires_at!: string;
}

/** One task of GET /api/v1/sessions/{id}/history. */
export class SessionHistoryItemResponse {
  @ApiProperty({ description: 'The real task id (the same string as workflow_id).' }) task_id!: string;
  @ApiProperty() workflow_id!: string;
  @ApiProperty() turn!: number;
  @ApiProperty() query!: string;
  @ApiProperty({ enum: ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT'] }) status!: string;
  @ApiPropertyOptional() mode?: string;
  @ApiPropertyOptional() result?: string;
  @ApiPropertyOptional() error_message?: string;
  @ApiProperty() total_tokens!: number;
  @ApiProperty({ description: 'US dollars' }) total_cost_usd!: number;
  @ApiPropertyOptional() duration_ms?: number;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiPropertyOptional({ format: 'date-time' }) started_at?: string;
  @ApiPropertyOptional({ format: 'date-time' }) completed_at?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: '`interrupted_by`: the task whose turn interrupted this one.' })
  metadata?: Record<string, unknown>;
}

export class SessionHistoryResponse {
  @ApiProperty({ description: 'As given in the path.' }) session_id!: string;
  @ApiProperty({ type: [SessionHistoryItemResponse] }) tasks!: SessionHistoryItemResponse[];
  @ApiProperty() total!: number;
}

export class SessionTurnEventResponse {
  @ApiProperty() workflow_id!: string;
  @ApiProperty({ enum: EVENT_TYPES }) type!: string;
  @ApiPropertyOptional() agent_id?: string;
  @ApiPropertyOptional() message?: string;
  @ApiPropertyOptional({ description: 'The payload as a JSON string; only with include_payload=true.' }) payload?: string;
  @ApiProperty({ format: 'date-time' }) timestamp!: string;
  @ApiProperty({ format: 'date-time', description: 'Same as timestamp.' }) created_at!: string;
  @ApiProperty() seq!: number;
  @ApiPropertyOptional() stream_id?: string;
}

export class SessionTurnMetadataResponse {
  @ApiProperty() tokens_used!: number;
  @ApiProperty() execution_time_ms!: number;
  @ApiProperty({ type: [String] }) agents_involved!: string[];
}

export class SessionTurnResponse {
  @ApiProperty({ description: '1-based, counting from the first turn of the session.' }) turn!: number;
  @ApiProperty() task_id!: string;
  @ApiProperty() user_query!: string;
  @ApiPropertyOptional() final_output?: string;
  @ApiProperty({ enum: ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT'] }) status!: string;
  @ApiProperty({ format: 'date-time', description: 'When the task started (or was created, if it has not started).' }) timestamp!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ type: [SessionTurnEventResponse] }) events!: SessionTurnEventResponse[];
  @ApiProperty({ type: SessionTurnMetadataResponse }) metadata!: SessionTurnMetadataResponse;
}

export class SessionEventsResponse {
  @ApiProperty({ description: 'As given in the path.' }) session_id!: string;
  @ApiProperty({ type: [SessionTurnResponse] }) turns!: SessionTurnResponse[];
  @ApiProperty({ description: 'Turns in the session.' }) count!: number;
}

export class SessionTitleResponse {
  @ApiProperty({ description: 'As given in the path.' }) session_id!: string;
  @ApiProperty() title!: string;
}
