import type { MessageInitShape } from '@bufbuild/protobuf';
import { Controller } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { Caller, type CallerIdentity } from '@shannon/auth';
import type {
  DeleteSessionRequest,
  DeleteSessionResponseSchema,
  GetSessionRequest,
  GetSessionResponseSchema,
  ListSessionsRequest,
  ListSessionsResponseSchema,
  ResolveSessionRequest,
  ResolveSessionResponseSchema,
  UpdateSessionTitleRequest,
  UpdateSessionTitleResponseSchema,
} from '@shannon/contracts';
import { SessionRetention } from '../retention/session-retention';
import type { SessionRow, SessionStatsRow } from './session.repository';
import { toSessionMessage } from './session.mapper';
import { SessionService } from './session.service';

@Controller()
export class SessionGrpcController {
  constructor(
    private readonly sessions: SessionService,
    private readonly retention: SessionRetention,
  ) {}

  @GrpcMethod('SessionService', 'ResolveSession')
  async resolveSession(@Payload() request: ResolveSessionRequest, @Caller() caller: CallerIdentity): Promise<MessageInitShape<typeof ResolveSessionResponseSchema>> {
    const { session, created } = await this.sessions.resolve(caller, request.sessionId);
    return { session: this.message(session), created };
  }

  @GrpcMethod('SessionService', 'GetSession')
  async getSession(@Payload() request: GetSessionRequest, @Caller() caller: CallerIdentity): Promise<MessageInitShape<typeof GetSessionResponseSchema>> {
    const { session, stats } = await this.sessions.getWithStats(caller, request.sessionId);
    return { session: this.message(session, stats) };
  }

  @GrpcMethod('SessionService', 'ListSessions')
  async listSessions(@Payload() request: ListSessionsRequest, @Caller() caller: CallerIdentity): Promise<MessageInitShape<typeof ListSessionsResponseSchema>> {
    const { items, total } = await this.sessions.list(caller, request.limit, request.offset);
    return { sessions: items.map(({ session, stats }) => this.message(session, stats)), totalCount: total };
  }

  @GrpcMethod('SessionService', 'UpdateSessionTitle')
  async updateSessionTitle(
    @Payload() request: UpdateSessionTitleRequest,
    @Caller() caller: CallerIdentity,
  ): Promise<MessageInitShape<typeof UpdateSessionTitleResponseSchema>> {
    return { session: this.message(await this.sessions.updateTitle(caller, request.sessionId, request.title)) };
  }

  @GrpcMethod('SessionService', 'DeleteSession')
  async deleteSession(@Payload() request: DeleteSessionRequest, @Caller() caller: CallerIdentity): Promise<MessageInitShape<typeof DeleteSessionResponseSchema>> {
    await this.sessions.delete(caller, request.sessionId);
    return {};
  }

  private message(session: SessionRow, stats?: SessionStatsRow) {
    return toSessionMessage(session, this.retention.expiresAt(session.lastActivityAt), stats);
  }
}
