import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { CLIENT_ID_REGEX } from './create-task.dto';
import { PageLimit, PageOffset } from './paging';

export const TASK_STATUS_FILTERS = ['QUEUED', 'RUNNING', 'PAUSED', 'COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT'] as const;

/** Query of GET /api/v1/tasks. */
export class ListTasksQuery {
  @PageLimit(100, 20)
  limit?: number;

  @PageOffset()
  offset?: number;

  @ApiPropertyOptional({ enum: TASK_STATUS_FILTERS, description: 'Case-insensitive; CANCELED is accepted.' })
  @IsIn(TASK_STATUS_FILTERS.map(String), { message: 'Invalid status value' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase().replace(/^CANCELED$/, 'CANCELLED') : value))
  @IsOptional()
  status?: string;

  @ApiPropertyOptional()
  @Matches(CLIENT_ID_REGEX, { message: 'Invalid session_id format' })
  @IsOptional()
  session_id?: string;
}

/** Query of GET /api/v1/tasks/{id}/events. */
export class ListEventsQuery {
  @PageLimit(200, 50)
  limit?: number;

  @PageOffset()
  offset?: number;
}
