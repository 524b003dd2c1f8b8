import type { MessageInitShape } from '@bufbuild/protobuf';
import { Controller } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { Caller, type CallerIdentity } from '@shannon/auth';
import type {
  AbandonTurnRequest,
  AbandonTurnResponseSchema,
  BeginTurnRequest,
  BeginTurnResponseSchema,
  GetConversationRequest,
  GetConversationResponseSchema,
  ListTurnsRequest,
  ListTurnsResponseSchema,
} from '@shannon/contracts';
import { toSessionMessage } from '../sessions/session.mapper';
import { toTurnMessage } from './turn.mapper';
import { TurnService } from './turn.service';

/** The turn methods of SessionService. */
@Controller()
export class TurnGrpcController {
  constructor(private readonly turns: TurnService) {}

  @GrpcMethod('SessionService', 'BeginTurn')
  async beginTurn(@Payload() request: BeginTurnRequest, @Caller() caller: CallerIdentity): Promise<MessageInitShape<typeof BeginTurnResponseSchema>> {
    const { session, created, turn, interrupted } = await this.turns.begin(caller, request);
    return { session: toSessionMessage(session, this.turns.expiresAt(session)), created, turn: toTurnMessage(turn), interruptedTaskIds: interrupted };
  }

  @GrpcMethod('SessionService', 'AbandonTurn')
  async abandonTurn(@Payload() request: AbandonTurnRequest, @Caller() caller: CallerIdentity): Promise<MessageInitShape<typeof AbandonTurnResponseSchema>> {
    await this.turns.abandon(caller, request.taskId);
    return {};
  }

  @GrpcMethod('SessionService', 'ListTurns')
  async listTurns(@Payload() request: ListTurnsRequest, @Caller() caller: CallerIdentity): Promise<MessageInitShape<typeof ListTurnsResponseSchema>> {
    const { session, turns, total } = await this.turns.list(caller, request.sessionId, request.limit, request.offset);
    return { session: toSessionMessage(session, this.turns.expiresAt(session)), turns: turns.map(toTurnMessage), totalCount: total };
  }

  @GrpcMethod('SessionService', 'GetConversation')
  async getConversation(@Payload() request: GetConversationRequest, @Caller() caller: CallerIdentity): Promise<MessageInitShape<typeof GetConversationResponseSchema>> {
    const { turns, pending } = await this.turns.conversation(caller, request.sessionId, request.taskId, request.maxTurns);
    return { turns: turns.map((turn) => ({ taskId: turn.taskId, query: turn.query, answer: turn.result })), pendingTurns: pending };
  }
}
