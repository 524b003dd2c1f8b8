import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiPayloadTooLargeResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@shannon/auth';
import {
  ErrorResponse,
  ListSessionsQuery,
  SessionEventsQuery,
  SessionEventsResponse,
  SessionHistoryQuery,
  SessionHistoryResponse,
  SessionListResponse,
  SessionResponse,
  SessionTitleResponse,
  UpdateSessionTitleDto,
} from '@shannon/contracts';
import { SessionGatewayService } from './session-gateway.service';

/** `{id}` is the session's UUID or the client's own id (external_id). */
@ApiTags('sessions')
@ApiSecurity('apiKey')
@ApiBadRequestResponse({ type: ErrorResponse })
@Controller('api/v1/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionGatewayService) {}

  @Get()
  @ApiOkResponse({ type: SessionListResponse })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListSessionsQuery): Promise<SessionListResponse> {
    return this.sessions.list(principal, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: SessionResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<SessionResponse> {
    return this.sessions.get(principal, id);
  }

  @Get(':id/history')
  @ApiOkResponse({ type: SessionHistoryResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  history(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query() query: SessionHistoryQuery): Promise<SessionHistoryResponse> {
    return this.sessions.history(principal, id, query);
  }

  @Get(':id/events')
  @ApiOkResponse({ type: SessionEventsResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  @ApiPayloadTooLargeResponse({ type: ErrorResponse })
  events(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Query() query: SessionEventsQuery): Promise<SessionEventsResponse> {
    return this.sessions.events(principal, id, query);
  }

  @Patch(':id')
  @ApiOkResponse({ type: SessionTitleResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  updateTitle(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: UpdateSessionTitleDto): Promise<SessionTitleResponse> {
    return this.sessions.updateTitle(principal, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted (also when it was deleted before).' })
  @ApiNotFoundResponse({ type: ErrorResponse })
  delete(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    return this.sessions.delete(principal, id);
  }
}
