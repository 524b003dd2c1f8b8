import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';

export const TIMELINE_MODES = ['summary', 'full'] as const;
export type TimelineMode = (typeof TIMELINE_MODES)[number];

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** Query of GET /api/v1/tasks/{id}/timeline. */
export class TimelineQuery {
  @ApiPropertyOptional({ enum: TIMELINE_MODES, default: 'summary', description: 'summary: lifecycle events, messages shortened; full: every persisted event' })
  @IsIn(TIMELINE_MODES.map(String), { message: 'Invalid mode parameter (summary or full)' })
  @IsOptional()
  mode?: TimelineMode;

  @ApiPropertyOptional({ default: false, description: 'Include each event’s payload' })
  @IsBoolean({ message: 'Invalid include_payloads parameter (true or false)' })
  @Transform(toBoolean)
  @IsOptional()
  include_payloads?: boolean;
}
