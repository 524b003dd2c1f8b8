import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsOptional, IsString } from 'class-validator';
import { PageLimit, PageOffset } from './paging';

/** Query of GET /api/v1/sessions. */
export class ListSessionsQuery {
  @PageLimit(100, 20)
  limit?: number;

  @PageOffset()
  offset?: number;
}

/** Query of GET /api/v1/sessions/{id}/history: every turn by default. */
export class SessionHistoryQuery {
  @PageLimit(1000, 1000)
  limit?: number;

  @PageOffset()
  offset?: number;
}

/** Query of GET /api/v1/sessions/{id}/events: `limit` and `offset` count turns. */
export class SessionEventsQuery {
  @PageLimit(100, 10, 'Turns per page.')
  limit?: number;

  @PageOffset('Turns to skip.')
  offset?: number;

  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false', description: 'Adds each event’s payload (as a JSON string).' })
  @IsIn(['true', 'false', '1', '0'], { message: 'Invalid include_payload parameter (true or false)' })
  @IsOptional()
  include_payload?: string;
}

/** Body of PATCH /api/v1/sessions/{id}. */
export class UpdateSessionTitleDto {
  @ApiProperty({ description: '1..60 characters after trimming; control characters are removed.', maxLength: 60, example: 'Python questions' })
  @IsString({ message: 'title must be a string' })
  @IsDefined({ message: 'Title cannot be empty' })
  title!: string;
}
