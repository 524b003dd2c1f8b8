import { ValidationError } from '@shannon/errors';
import { parseResumePoint, parseStreamRequest } from './stream-request';

describe(parseStreamRequest.name, () => {
  it('reads the task, the resume point and the types', () => {
    const sut = parseStreamRequest({ taskId: 'task_01', taskIdFrom: 'query', lastEventIdQuery: '7', types: 'LLM_OUTPUT, WORKFLOW_COMPLETED,' });

    expect(sut).toEqual({ taskId: 'task_01', afterSeq: 7, types: new Set(['LLM_OUTPUT', 'WORKFLOW_COMPLETED']) });
  });

  it.each([
    [{ taskId: undefined, taskIdFrom: 'query' as const }, 'Invalid or missing workflow_id'],
    [{ taskId: 'bad id', taskIdFrom: 'query' as const }, 'Invalid or missing workflow_id'],
    [{ taskId: 'bad id', taskIdFrom: 'path' as const }, 'Invalid task ID format'],
    [{ taskId: 'task_1', taskIdFrom: 'path' as const, types: 'LLM_OUTPUT,<script>' }, 'Invalid types parameter: "<script>"'],
  ])('refuses %j', (raw, message) => {
    expect(() => parseStreamRequest(raw)).toThrow(new ValidationError(message));
  });
});

describe(parseResumePoint.name, () => {
  it.each([
    [undefined, undefined, 0],
    ['', '', 0],
    ['42', undefined, 42],
    [undefined, '42', 42],
    ['1795512145070-9', undefined, 9],
    ['5', '9', 5],
    [['3', '4'], undefined, 3],
  ])('header %j, query %j: after seq %i', (header, query, expected) => {
    expect(parseResumePoint(header, query)).toBe(expected);
  });

  it.each(['abc', '-1', '1.5', '12-', '-12', '1-2-3', '9999999999999999'])('refuses %j', (value) => {
    expect(() => parseResumePoint(value, undefined)).toThrow('Invalid last_event_id');
    expect(() => parseResumePoint(undefined, value)).toThrow('Invalid last_event_id');
  });
});
