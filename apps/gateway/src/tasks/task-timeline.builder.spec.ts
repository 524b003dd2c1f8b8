import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { TaskEventSchema, TaskSchema, TaskStatus } from '@shannon/contracts';
import { buildTimeline } from './task-timeline.builder';

const at = (ms: number) => timestampFromDate(new Date(Date.UTC(2026, 10, 24, 10, 0, 0) + ms));
const task = create(TaskSchema, { taskId: 'task_1', status: TaskStatus.COMPLETED, createdAt: at(0), completedAt: at(900) });
const events = [
  create(TaskEventSchema, { workflowId: 'task_1', type: 'WORKFLOW_STARTED', agentId: 'orchestrator', message: 'Starting up', seq: 1n, timestamp: at(100) }),
  create(TaskEventSchema, { workflowId: 'task_1', type: 'DATA_PROCESSING', message: 'Gathering context', seq: 2n, timestamp: at(150) }),
  create(TaskEventSchema, { workflowId: 'task_1', type: 'LLM_OUTPUT', message: 'x'.repeat(500), payload: { output_tokens: 3 }, seq: 5n, timestamp: at(800) }),
  create(TaskEventSchema, { workflowId: 'task_1', type: 'WORKFLOW_COMPLETED', message: 'All done', seq: 6n, timestamp: at(950) }),
];
const now = new Date(Date.UTC(2026, 10, 24, 11));

describe(buildTimeline.name, () => {
  it('summarises the lifecycle from the task record and its persisted events, oldest first', () => {
    const sut = buildTimeline(task, events, { mode: 'summary', includePayloads: false, now });

    expect(sut.workflow_id).toBe('task_1');
    expect(sut.events.map((e) => [e.type, e.seq, e.elapsed_ms])).toEqual([
      ['TASK_SUBMITTED', 0, 0],
      ['WORKFLOW_STARTED', 1, 100],
      ['LLM_OUTPUT', 5, 800],
      ['TASK_STATUS_COMPLETED', 0, 900],
      ['WORKFLOW_COMPLETED', 6, 950],
    ]);
    expect(sut.events.every((e) => e.created_at === e.timestamp && !Number.isNaN(Date.parse(e.created_at)))).toBe(true);
    expect(sut.events[2].message).toHaveLength(200);
    expect(sut.events[2].payload).toBeUndefined();
    expect(sut.stats).toEqual({
      total: 5,
      mode: 'summary',
      status: 'TASK_STATUS_COMPLETED',
      duration_ms: 900,
      queue_ms: 100,
      event_counts: { WORKFLOW_STARTED: 1, DATA_PROCESSING: 1, LLM_OUTPUT: 1, WORKFLOW_COMPLETED: 1 },
    });
  });

  it('lists every persisted event with whole messages and payloads in full mode', () => {
    const sut = buildTimeline(task, events, { mode: 'full', includePayloads: true, now });

    expect(sut.events.map((e) => e.type)).toContain('DATA_PROCESSING');
    expect(sut.events.find((e) => e.type === 'LLM_OUTPUT')).toMatchObject({ message: 'x'.repeat(500), payload: { output_tokens: 3 }, id: 'task_1:5' });
  });

  it('measures a running task up to now', () => {
    const running = create(TaskSchema, { taskId: 'task_1', status: TaskStatus.RUNNING, createdAt: at(0) });

    const sut = buildTimeline(running, [], { mode: 'summary', includePayloads: false, now });

    expect(sut.events.map((e) => e.type)).toEqual(['TASK_SUBMITTED']);
    expect(sut.stats.duration_ms).toBe(3_600_000);
    expect(sut.stats.queue_ms).toBeUndefined();
  });
});
