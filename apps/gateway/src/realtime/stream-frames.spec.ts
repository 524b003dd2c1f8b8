import type { TaskEventResponse } from '@shannon/contracts';
import { sseConnected, sseFrame, sseFrameBytes, wsFrame } from './stream-frames';
import type { StreamItem } from './stream-item';

const event = (fields: Partial<TaskEventResponse> & Pick<TaskEventResponse, 'type' | 'seq'>): StreamItem => ({
  kind: 'event',
  seq: fields.seq,
  event: { workflow_id: 'task_1', agent_id: 'simple-agent', timestamp: '2026-11-24T10:00:00.000Z', stream_id: `1795514400000-${fields.seq}`, ...fields },
});

/** The data line of a frame, parsed. */
const data = (frame: string) => JSON.parse(/^data: (.*)$/m.exec(frame)?.[1] ?? 'null');

describe(sseFrame.name, () => {
  it('opens with the connected comment', () => {
    expect(sseConnected('task_1')).toBe(': connected to workflow task_1\n\n');
  });

  it('renames a token delta to thread.message.delta', () => {
    const frame = sseFrame(event({ type: 'LLM_PARTIAL', seq: 4, message: 'Paris' }));

    expect(frame).toBe(
      'id: 4\nevent: thread.message.delta\ndata: {"workflow_id":"task_1","agent_id":"simple-agent","delta":"Paris","seq":4,"stream_id":"1795514400000-4"}\n\n',
    );
  });

  it('renames the final output to thread.message.completed with its metadata', () => {
    const frame = sseFrame(event({ type: 'LLM_OUTPUT', seq: 5, message: 'The capital of France is Paris.', payload: { output_tokens: 7 } }));

    expect(frame.split('\n').slice(0, 2)).toEqual(['id: 5', 'event: thread.message.completed']);
    expect(data(frame)).toEqual({
      workflow_id: 'task_1',
      agent_id: 'simple-agent',
      response: 'The capital of France is Paris.',
      metadata: { output_tokens: 7 },
      seq: 5,
      stream_id: '1795514400000-5',
    });
  });

  it('ends with done and [DONE]', () => {
    expect(sseFrame(event({ type: 'STREAM_END', seq: 9, message: 'Done' }))).toBe('id: 9\nevent: done\ndata: [DONE]\n\n');
  });

  it('encodes an SSE frame once: every connection writes the same bytes', () => {
    const item = event({ type: 'LLM_PARTIAL', seq: 4, message: 'Paris, ça va' });
    const bytes = sseFrameBytes(item);

    expect(bytes.toString('utf8')).toBe(sseFrame(item));
    expect(sseFrameBytes(item)).toBe(bytes);
  });

  it('names an error `error` and keeps the whole event', () => {
    const item = event({ type: 'ERROR_OCCURRED', seq: 6, message: 'Hit an issue' });
    const frame = sseFrame(item);

    expect(frame.split('\n')[1]).toBe('event: error');
    expect(data(frame)).toEqual(item.kind === 'event' ? item.event : undefined);
  });

  it('renames control events to workflow.*', () => {
    const frame = sseFrame(event({ type: 'WORKFLOW_CANCELLED', seq: 7, message: 'Cancelled', payload: { was_paused: false } }));

    expect(frame.split('\n')[1]).toBe('event: workflow.cancelled');
    expect(data(frame)).toMatchObject({ workflow_id: 'task_1', message: 'Cancelled', was_paused: false, seq: 7 });
  });

  it('keeps the name and the whole event of every other type, on one data line', () => {
    const item = event({ type: 'AGENT_STARTED', seq: 2, message: 'line one\nline two' });
    const frame = sseFrame(item);

    expect(frame.split('\n')).toHaveLength(5);
    expect(frame.split('\n')[1]).toBe('event: AGENT_STARTED');
    expect(data(frame)).toEqual(item.kind === 'event' ? item.event : undefined);
  });

  it('names a gap and the first seq still kept, with the gap’s last seq as its id', () => {
    const frame = sseFrame({ kind: 'gap', workflowId: 'task_1', fromSeq: 3, toSeq: 6, reason: 'no longer kept' });

    expect(frame.split('\n').slice(0, 2)).toEqual(['id: 6', 'event: gap']);
    expect(data(frame)).toEqual({ workflow_id: 'task_1', from_seq: 3, to_seq: 6, first_available_seq: 7, message: 'no longer kept' });
  });
});

describe(wsFrame.name, () => {
  it('sends the whole event object, unrenamed', () => {
    const item = event({ type: 'LLM_PARTIAL', seq: 4, message: 'Paris' });

    expect(JSON.parse(wsFrame(item))).toEqual(item.kind === 'event' ? item.event : undefined);
  });

  it('sends a gap as {"type":"gap",...}', () => {
    expect(JSON.parse(wsFrame({ kind: 'gap', workflowId: 'task_1', fromSeq: 3, toSeq: 6, reason: 'r' }))).toEqual({
      type: 'gap',
      workflow_id: 'task_1',
      from_seq: 3,
      to_seq: 6,
      first_available_seq: 7,
      message: 'r',
    });
  });
});
