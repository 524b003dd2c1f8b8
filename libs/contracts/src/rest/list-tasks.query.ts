import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { CLIENT_ID_REGEX } from './create-task.dto';
import { PageOffset } from './paging';

export const TASK_STATUS_FILTERS = ['QUEUED', 'RUNNING', 'PAUSED', 'COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT'] as const;

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);

/** Query of GET /api/v1/tasks. */
export class ListTasksQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @Max(100, { message: 'Invalid limit parameter' })
  @Min(1, { message: 'Invalid limit parameter' })
  @IsInt({ message: 'Invalid limit parameter' })
  @Transform(toInt)
  @IsOptional()
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
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @Max(200, { message: 'Invalid limit parameter' })
  @Min(1, { message: 'Invalid limit parameter' })
  @IsInt({ message: 'Invalid limit parameter' })
  @Transform(toInt)
  @IsOptional()
  limit?: number;

  @PageOffset()
  offset?: number;
}
