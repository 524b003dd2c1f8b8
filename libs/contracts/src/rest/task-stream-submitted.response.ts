import { ApiProperty } from '@nestjs/swagger';

/** Body of POST /api/v1/tasks/stream (201); the same URL is in the `Link: <url>; rel=stream` header. */
export class TaskStreamSubmittedResponse {
  @ApiProperty() task_id!: string;
  @ApiProperty() workflow_id!: string;
  @ApiProperty({ example: '/api/v1/stream/sse?workflow_id=task_01HQZX3Y9K8M2P4N5S7T9W2V' }) stream_url!: string;
}
