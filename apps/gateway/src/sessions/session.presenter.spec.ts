import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { SessionSchema, TaskEventSchema, TurnSchema } from '@shannon/contracts';
import { SessionPresenter } from './session.presenter';

const at = (iso: string) => timestampFromDate(new Date(iso));

describe('SessionPresenter', () => {
  const session = create(SessionSchema, {
    id: '33333333-3333-3333-3333-333333333333',
    userId: 'u',
    externalId: 'user-123-chat',
    title: 'What is Python?',
    createdAt: at('2026-11-20T10:00:00Z'),
    updatedAt: at('2026-11-24T09:00:00Z'),
    lastActivityAt: at('2026-11-24T09:00:00Z'),
    expiresAt: at('2026-12-24T09:00:00Z'),
    stats: { taskCount: 2, tokensUsed: 40, totalCostUsd: 0.002, successfulTasks: 1, failedTasks: 1, latestTaskQuery: 'q', latestTaskStatus: 'FAILED' },
  });

  it('shows a list item with totals and whether it was active in the last day', () => {
    expect(SessionPresenter.summary(session, new Date('2026-11-24T10:00:00Z'))).toEqual({
      session_id: session.id,
      user_id: 'u',
      external_id: 'user-123-chat',
      title: 'What is Python?',
      task_count: 2,
      tokens_used: 40,
      total_cost_usd: 0.002,
      successful_tasks: 1,
      failed_tasks: 1,
      latest_task_query: 'q',
      latest_task_status: 'FAILED',
      is_active: true,
      context: { external_id: 'user-123-chat', title: 'What is Python?' },
      created_at: '2026-11-20T10:00:00.000Z',
      updated_at: '2026-11-24T09:00:00.000Z',
      last_activity_at: '2026-11-24T09:00:00.000Z',
      expires_at: '2026-12-24T09:00:00.000Z',
    });
    expect(SessionPresenter.summary(session, new Date('2026-11-26T10:00:00Z')).is_active).toBe(false);
  });

  it('shows a session with the cost under both names (total_cost_usd, and cost_usd as the SDK reads it)', () => {
    expect(SessionPresenter.detail(session)).toMatchObject({ session_id: session.id, task_count: 2, tokens_used: 40, total_cost_usd: 0.002, cost_usd: 0.002 });
  });

  it('shows a turn of the history with the real task id, its duration and who interrupted it', () => {
    const turn = create(TurnSchema, {
      taskId: 'task_1',
      seq: 1,
      query: 'Write an essay',
      status: 'COMPLETED',
      result: 'Rivers…',
      inputTokens: 10,
      outputTokens: 30,
      costUsd: 0.001,
      createdAt: at('2026-11-24T09:00:00Z'),
      startedAt: at('2026-11-24T09:00:01Z'),
      completedAt: at('2026-11-24T09:00:03.5Z'),
      interruptedBy: 'task_2',
    });
    expect(SessionPresenter.historyItem(turn)).toEqual({
      task_id: 'task_1',
      workflow_id: 'task_1',
      turn: 1,
      query: 'Write an essay',
      status: 'COMPLETED',
      mode: undefined,
      result: 'Rivers…',
      error_message: undefined,
      total_tokens: 40,
      total_cost_usd: 0.001,
      duration_ms: 2500,
      created_at: '2026-11-24T09:00:00.000Z',
      started_at: '2026-11-24T09:00:01.000Z',
      completed_at: '2026-11-24T09:00:03.500Z',
      metadata: { interrupted_by: 'task_2' },
    });
  });

  it('groups a turn’s events, with the payload as a JSON string only when asked', () => {
    const turn = create(TurnSchema, { taskId: 'task_1', seq: 3, query: 'q', status: 'QUEUED', createdAt: at('2026-11-24T09:00:00Z') });
    const events = [
      create(TaskEventSchema, { workflowId: 'task_1', type: 'WORKFLOW_STARTED', agentId: 'orchestrator', seq: 1n, timestamp: at('2026-11-24T09:00:01Z') }),
      create(TaskEventSchema, { workflowId: 'task_1', type: 'LLM_OUTPUT', agentId: 'simple-agent', seq: 2n, payload: { output_tokens: 8 }, timestamp: at('2026-11-24T09:00:02Z') }),
    ];

    const plain = SessionPresenter.turn(turn, events, false);
    const full = SessionPresenter.turn(turn, events, true);

    expect(plain).toMatchObject({ turn: 3, task_id: 'task_1', user_query: 'q', timestamp: '2026-11-24T09:00:00.000Z', metadata: { agents_involved: ['orchestrator', 'simple-agent'], execution_time_ms: 0 } });
    expect(plain.events[1]).toEqual({
      workflow_id: 'task_1',
      type: 'LLM_OUTPUT',
      agent_id: 'simple-agent',
      message: undefined,
      payload: undefined,
      timestamp: '2026-11-24T09:00:02.000Z',
      created_at: '2026-11-24T09:00:02.000Z',
      seq: 2,
      stream_id: `${Date.parse('2026-11-24T09:00:02Z')}-2`,
    });
    expect(JSON.parse(full.events[1].payload ?? '')).toEqual({ output_tokens: 8 });
  });
});
