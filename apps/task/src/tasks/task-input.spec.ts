import { create } from '@bufbuild/protobuf';
import { SubmitTaskRequestSchema } from '@shannon/contracts';
import { parseTaskInput } from './task-input';

const SESSION = '2db9a6f5-0000-4000-8000-000000000001';
const request = (fields: Record<string, unknown>) => create(SubmitTaskRequestSchema, { query: 'What is 2 + 2?', sessionId: SESSION, ...fields });

describe(parseTaskInput.name, () => {
  it('keeps the session id as the client sent it beside the UUID, and none when it sent none', () => {
    expect(parseTaskInput(request({ clientSessionId: 'user-123-chat' }))).toMatchObject({ sessionId: SESSION, clientSessionId: 'user-123-chat' });
    expect(parseTaskInput(request({}))).toMatchObject({ sessionId: SESSION, clientSessionId: null });
  });

  it.each(['has space', 'x'.repeat(129), 'café'])('refuses the client session id %j (gRPC input is checked again)', (clientSessionId) => {
    expect(() => parseTaskInput(request({ clientSessionId }))).toThrow('Invalid session_id format');
  });

  it('counts the query as the gateway does: an emoji is one character', () => {
    const emoji = `ab${'😀'.repeat(9_998)}`;
    expect(parseTaskInput(request({ query: emoji })).query).toBe(emoji);
    expect(() => parseTaskInput(request({ query: 'x'.repeat(10_001) }))).toThrow('Query too long (at most 10000 characters)');
  });
});

