import { acceptsQueryCredentials, type CredentialSource, extractCredential } from './credentials';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
const request = (url: string, headers: CredentialSource['headers'] = {}, method = 'GET'): CredentialSource => ({ method, url, headers });

describe(extractCredential.name, () => {
  it.each([
    ['X-API-Key', request('/api/v1/tasks', { 'x-api-key': ' sk_test_123456 ' }), { kind: 'api_key', value: 'sk_test_123456' }],
    ['Bearer API key', request('/api/v1/tasks', { authorization: 'Bearer sk_test_123456' }), { kind: 'api_key', value: 'sk_test_123456' }],
    ['bearer (any case) JWT', request('/api/v1/tasks', { authorization: 'bearer  ' + JWT }), { kind: 'token', value: JWT }],
    ['Bearer garbage', request('/api/v1/tasks', { authorization: 'Bearer garbage' }), { kind: 'token', value: 'garbage' }],
    ['a JWT in X-API-Key', request('/api/v1/tasks', { 'x-api-key': JWT }), { kind: 'token', value: JWT }],
    ['garbage in X-API-Key', request('/api/v1/tasks', { 'x-api-key': 'garbage' }), { kind: 'api_key', value: 'garbage' }],
    ['X-API-Key before Authorization', request('/api/v1/tasks', { 'x-api-key': 'sk_a', authorization: 'Bearer sk_b' }), { kind: 'api_key', value: 'sk_a' }],
    ['?api_key= on the SSE route', request('/api/v1/stream/sse?workflow_id=t&api_key=sk_q'), { kind: 'api_key', value: 'sk_q' }],
    ['?token= on the WebSocket route', request(`/api/v1/stream/ws?workflow_id=t&token=${JWT}`), { kind: 'token', value: JWT }],
    ['?token= on a task stream', request('/api/v1/tasks/task_1/stream?token=sk_q'), { kind: 'api_key', value: 'sk_q' }],
  ])('reads %s', (_label, source, expected) => {
    expect(extractCredential(source)).toEqual(expected);
  });

  it.each([
    ['nothing', request('/api/v1/tasks')],
    ['an empty X-API-Key', request('/api/v1/tasks', { 'x-api-key': '   ' })],
    ['Basic auth', request('/api/v1/tasks', { authorization: 'Basic dXNlcjpwdw==' })],
    ['Bearer without a token', request('/api/v1/tasks', { authorization: 'Bearer ' })],
    ['?api_key= on a non-streaming route', request('/api/v1/tasks?api_key=sk_q')],
    ['?token= on a task status route', request('/api/v1/tasks/task_1?token=sk_q')],
    ['?api_key= on a POST to a streaming path', request('/api/v1/tasks/stream?api_key=sk_q', {}, 'POST')],
    ['?api_key= on a task stream POST', request('/api/v1/tasks/task_1/stream?api_key=sk_q', {}, 'POST')],
    ['an empty ?api_key=', request('/api/v1/stream/sse?api_key=')],
  ])('finds no credential in %s', (_label, source) => {
    expect(extractCredential(source)).toBeUndefined();
  });
});

describe(acceptsQueryCredentials.name, () => {
  it.each([
    ['GET', '/api/v1/stream/sse', true],
    ['GET', '/api/v1/stream/ws', true],
    ['GET', '/api/v1/tasks/task_1/stream', true],
    ['POST', '/api/v1/stream/sse', false],
    ['GET', '/api/v1/tasks/stream', false],
    ['GET', '/api/v1/tasks/task_1/stream/extra', false],
    ['GET', '/api/v1/streams', false],
    ['GET', '/api/v1/sessions/s1', false],
  ])('%s %s -> %s', (method, path, expected) => {
    expect(acceptsQueryCredentials(method, path)).toBe(expected);
  });
});
