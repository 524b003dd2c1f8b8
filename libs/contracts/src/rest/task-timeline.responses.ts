import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class TimelineEntry {
  @ApiProperty({ example: 'task_01HQZX3Y9K8M2P4N5S7T9W2V:3' }) id!: string;
  @ApiProperty() workflow_id!: string;
  @ApiProperty({ description: 'TASK_SUBMITTED, an event type, or the final TASK_STATUS_*' }) type!: string;
  @ApiPropertyOptional() agent_id?: string;
  @ApiProperty() message!: string;
  @ApiProperty({ format: 'date-time' }) timestamp!: string;
  @ApiProperty({ format: 'date-time', description: 'The same instant as `timestamp`: every list item carries `created_at` (API.md)' }) created_at!: string;
  @ApiProperty({ description: 'The event’s seq (0 for entries from the task record)' }) seq!: number;
  @ApiProperty({ description: 'Milliseconds since the task was submitted' }) elapsed_ms!: number;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) payload?: Record<string, unknown>;
}

export class TimelineStats {
  @ApiProperty() total!: number;
  @ApiProperty({ enum: ['summary', 'full'] }) mode!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ description: 'Submit to completion (or to now while running)' }) duration_ms!: number;
  @ApiPropertyOptional({ description: 'Submit to WORKFLOW_STARTED' }) queue_ms?: number;
  @ApiProperty({ description: 'Persisted events by type', type: 'object', additionalProperties: { type: 'number' } })
  event_counts!: Record<string, number>;
}

/** Body of GET /api/v1/tasks/{id}/timeline: the lifecycle of a task, built from our own records. */
export class TaskTimelineResponse {
  @ApiProperty() workflow_id!: string;
  @ApiProperty({ type: [TimelineEntry] }) events!: TimelineEntry[];
  @ApiProperty({ type: TimelineStats }) stats!: TimelineStats;
}
