import { create } from '@bufbuild/protobuf';
import { HttpException } from '@nestjs/common';
import { ListEventsForTasksResponseSchema, ListTurnsResponseSchema, type SessionEventsQuery } from '@shannon/contracts';
import type { InternalClients } from '../clients/internal-clients';
import { MAX_SESSION_EVENTS, SessionGatewayService } from './session-gateway.service';

const principal = { tenantId: 't', userId: 'u', apiKeyId: '' };

describe(SessionGatewayService.name, () => {
  let session: { listTurns: jest.Mock };
  let streaming: { listEventsForTasks: jest.Mock };
  let sut: SessionGatewayService;

  beforeEach(() => {
    session = {
      listTurns: jest.fn().mockResolvedValue(
        create(ListTurnsResponseSchema, {
          turns: [
            { taskId: 'task_a', seq: 3, query: 'first', status: 'COMPLETED' },
            { taskId: 'task_b', seq: 4, query: 'second', status: 'RUNNING' },
          ],
          totalCount: 7,
        }),
      ),
    };
    streaming = { listEventsForTasks: jest.fn() };
    sut = new SessionGatewayService({ session, streaming } as unknown as InternalClients);
  });

  it('asks for a page of turns, then for their events in one call, and groups the events by turn', async () => {
    streaming.listEventsForTasks.mockResolvedValue(
      create(ListEventsForTasksResponseSchema, {
        events: [
          { workflowId: 'task_a', type: 'WORKFLOW_STARTED', seq: 1n },
          { workflowId: 'task_b', type: 'WORKFLOW_STARTED', seq: 1n },
          { workflowId: 'task_a', type: 'STREAM_END', seq: 2n },
        ],
        totalCount: 3,
      }),
    );

    const page = await sut.events(principal, 'chat', { limit: 2, offset: 2, include_payload: 'true' } as SessionEventsQuery);

    expect(session.listTurns).toHaveBeenCalledWith({ sessionId: 'chat', limit: 2, offset: 2 }, expect.anything());
    expect(streaming.listEventsForTasks).toHaveBeenCalledWith(
      {
        taskIds: ['task_a', 'task_b'],
        maxEvents: MAX_SESSION_EVENTS,
        includePayload: true,
        // The running turn and the one that just finished: their events may not all be logged yet.
        catchUp: [
          { taskId: 'task_b', taskFinished: false },
          { taskId: 'task_a', taskFinished: true },
        ],
      },
      expect.anything(),
    );
    expect(page.count).toBe(7);
    expect(page.turns.map((turn) => [turn.turn, turn.task_id, turn.events.map((e) => e.type)])).toEqual([
      [3, 'task_a', ['WORKFLOW_STARTED', 'STREAM_END']],
      [4, 'task_b', ['WORKFLOW_STARTED']],
    ]);
  });

  it('answers 413 when the page holds more events than Shannon allows', async () => {
    streaming.listEventsForTasks.mockResolvedValue(create(ListEventsForTasksResponseSchema, { events: [], totalCount: MAX_SESSION_EVENTS + 1 }));

    const failure = await sut.events(principal, 'chat', {} as SessionEventsQuery).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(HttpException);
    expect((failure as HttpException).getStatus()).toBe(413);
    expect((failure as HttpException).getResponse()).toEqual({ error: 'Session has too many events. Please use pagination with smaller turn limits.' });
  });

  it('does not call the event log for a page without turns', async () => {
    session.listTurns.mockResolvedValue(create(ListTurnsResponseSchema, { turns: [], totalCount: 2 }));
    await expect(sut.events(principal, 'chat', { offset: 5 } as SessionEventsQuery)).resolves.toEqual({ session_id: 'chat', turns: [], count: 2 });
    expect(streaming.listEventsForTasks).not.toHaveBeenCalled();
  });

  it('refuses a malformed id before calling anything', async () => {
    await expect(sut.events(principal, 'bad id', {} as SessionEventsQuery)).rejects.toThrow('Invalid session_id format');
    expect(session.listTurns).not.toHaveBeenCalled();
  });
});
