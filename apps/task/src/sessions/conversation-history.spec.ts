import { create } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { type GetConversationResponse, GetConversationResponseSchema } from '@shannon/contracts';
import type { TaskConfig } from '../config';
import { PromptBuilder } from '../agent/prompt-builder';
import { ConversationHistory, type SessionClient } from './conversation-history';

const task = { id: 'task_01HQZX3Y9K8M2P4N5S7T9W2V00', tenantId: 't', userId: 'u', sessionId: 's', query: 'What are its main advantages?' };
const config = (overrides: Partial<TaskConfig> = {}) =>
  ({ SESSION_HISTORY_MAX_TURNS: 5, SESSION_HISTORY_MAX_TOKENS: 1000, SESSION_TURN_WAIT_MS: 60_000, ...overrides }) as TaskConfig;
const answer = (pendingTurns: number, turns = [{ taskId: 'task_a', query: 'What is Python?', answer: 'Python is a language.' }]): GetConversationResponse =>
  create(GetConversationResponseSchema, { pendingTurns, turns });

describe(ConversationHistory.name, () => {
  let sessions: { getConversation: jest.Mock };

  beforeEach(() => {
    sessions = { getConversation: jest.fn() };
  });

  const sut = (overrides?: Partial<TaskConfig>) => new ConversationHistory(sessions as unknown as SessionClient, config(overrides));

  it('asks the session service for the turns before the task, as the task’s owner', async () => {
    sessions.getConversation.mockResolvedValue(answer(0));

    const messages = await sut().before(task);

    expect(messages).toEqual([
      { role: 'user', content: 'What is Python?' },
      { role: 'assistant', content: 'Python is a language.' },
    ]);
    expect(sessions.getConversation).toHaveBeenCalledWith(
      { sessionId: 's', taskId: task.id, maxTurns: 5 },
      expect.objectContaining({ headers: expect.objectContaining({ 'x-shannon-tenant-id': 't', 'x-shannon-user-id': 'u', 'x-shannon-identity-signature': expect.any(String) }) }),
    );
  });

  it('waits while an earlier turn is still open, beating the heart of the work item', async () => {
    sessions.getConversation.mockResolvedValueOnce(answer(1, [])).mockResolvedValueOnce(answer(1, [])).mockResolvedValueOnce(answer(0));
    const heartbeat = jest.fn();

    const messages = await sut().before(task, { heartbeat });

    expect(sessions.getConversation).toHaveBeenCalledTimes(3);
    expect(heartbeat).toHaveBeenCalledTimes(2);
    expect(messages).toHaveLength(2);
  });

  it('stops waiting at once when the worker shuts down', async () => {
    sessions.getConversation.mockResolvedValue(answer(1, []));
    const shutdown = new AbortController();
    const waiting = sut().before(task, { heartbeat: () => shutdown.abort(), signal: shutdown.signal });

    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(sessions.getConversation).toHaveBeenCalledTimes(1);
  });

  it('runs with the turns that ended once the wait is over', async () => {
    sessions.getConversation.mockResolvedValue(answer(2));

    const messages = await sut({ SESSION_TURN_WAIT_MS: 0 }).before(task);

    expect(sessions.getConversation).toHaveBeenCalledTimes(1);
    expect(messages).toHaveLength(2);
  });

  it('gives no history for a session that is gone, and asks nothing when history is off', async () => {
    sessions.getConversation.mockRejectedValue(new ConnectError('Session not found', Code.NotFound));
    await expect(sut().before(task)).resolves.toEqual([]);
    sessions.getConversation.mockClear();
    await expect(sut({ SESSION_HISTORY_MAX_TURNS: 0 }).before(task)).resolves.toEqual([]);
    expect(sessions.getConversation).not.toHaveBeenCalled();
  });

  it('retries while the session service is unreachable, and fails once the wait is over', async () => {
    sessions.getConversation.mockRejectedValueOnce(new ConnectError('connect ECONNREFUSED', Code.Unavailable)).mockResolvedValueOnce(answer(0));
    await expect(sut().before(task)).resolves.toHaveLength(2);

    sessions.getConversation.mockRejectedValue(new ConnectError('connect ECONNREFUSED', Code.Unavailable));
    await expect(sut({ SESSION_TURN_WAIT_MS: 0 }).before(task)).rejects.toThrow('ECONNREFUSED');
  });

  it('does not retry what retrying cannot change', async () => {
    sessions.getConversation.mockRejectedValue(new ConnectError('Caller identity missing', Code.Unauthenticated));
    await expect(sut().before(task)).rejects.toThrow('Caller identity missing');
    expect(sessions.getConversation).toHaveBeenCalledTimes(1);
  });
});

describe(PromptBuilder.name, () => {
  it('puts the window of earlier turns before the task’s query', async () => {
    const history = { before: jest.fn().mockResolvedValue([{ role: 'user', content: 'What is Python?' }, { role: 'assistant', content: 'Python is a language.' }]) };
    const sut = new PromptBuilder(history as unknown as ConversationHistory);
    const heartbeat = jest.fn();

    const messages = sut.forTask(task as never, await sut.historyBefore(task as never, { heartbeat })).messagesFor();

    expect(messages.map((m) => `${m.role}: ${m.content}`)).toEqual([
      expect.stringMatching(/^system: /),
      'user: What is Python?',
      'assistant: Python is a language.',
      'user: What are its main advantages?',
    ]);
    expect(history.before).toHaveBeenCalledWith(task, { heartbeat });
  });
});
