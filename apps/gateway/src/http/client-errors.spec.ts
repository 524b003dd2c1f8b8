import type { ConnectionError } from 'fastify';
import type { Socket } from 'node:net';
import { answerClientError, clientErrorAnswer } from './client-errors';

function parseError(code: string, reason?: string): ConnectionError {
  return Object.assign(new Error(`Parse Error: ${reason}`), { code, reason, bytesParsed: 0, rawPacket: { type: 'Buffer', data: [] } });
}

function fakeSocket(state: { destroyed?: boolean; writable?: boolean; headersSent?: boolean } = {}) {
  const socket = {
    destroyed: state.destroyed ?? false,
    writable: state.writable ?? true,
    _httpMessage: state.headersSent === undefined ? null : { headersSent: state.headersSent },
    write: jest.fn(),
    destroy: jest.fn(),
  };
  return { socket, asSocket: socket as unknown as Socket };
}

describe(clientErrorAnswer.name, () => {
  it.each([
    ['HPE_HEADER_OVERFLOW', 431, 'Request Header Fields Too Large'],
    ['HPE_CHUNK_EXTENSIONS_OVERFLOW', 413, 'Chunk extensions too large'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'The request was not received in time'],
  ])('keeps the status Node answers %s with', (code, status, error) => {
    expect(clientErrorAnswer({ code, reason: 'ignored' })).toEqual({ status, error });
  });

  it('names the problem of a 400 and adds the parser’s own words', () => {
    expect(clientErrorAnswer({ code: 'HPE_INVALID_CONTENT_LENGTH', reason: 'Invalid character in Content-Length' })).toEqual({
      status: 400,
      error: 'Invalid Content-Length header (Invalid character in Content-Length)',
    });
    expect(clientErrorAnswer({ code: 'HPE_INVALID_METHOD' })).toEqual({ status: 400, error: 'Invalid HTTP method' });
    expect(clientErrorAnswer({ code: 'HPE_SOMETHING_NEW', reason: 'Odd' })).toEqual({ status: 400, error: 'Malformed HTTP request (Odd)' });
    expect(clientErrorAnswer({})).toEqual({ status: 400, error: 'Malformed HTTP request' });
  });
});

describe(answerClientError.name, () => {
  it('writes the answer with its trace and closes the connection', () => {
    const { socket, asSocket } = fakeSocket();
    const error = parseError('HPE_INVALID_CONTENT_LENGTH', 'Invalid character in Content-Length');
    answerClientError(error, asSocket);
    const written = String(socket.write.mock.calls[0][0]);
    expect(written).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(written).toMatch(/\r\nConnection: close\r\n/);
    expect(written).toMatch(/\r\nX-Trace-ID: [0-9a-f]{32}\r\n/);
    expect(written.endsWith('\r\n\r\n{"error":"Invalid Content-Length header (Invalid character in Content-Length)"}')).toBe(true);
    expect(socket.destroy).toHaveBeenCalledWith(error);
  });

  it('writes nothing over a response already under way, as Node does, but still closes', () => {
    const { socket, asSocket } = fakeSocket({ headersSent: true });
    answerClientError(parseError('HPE_INVALID_METHOD'), asSocket);
    expect(socket.write).not.toHaveBeenCalled();
    expect(socket.destroy).toHaveBeenCalled();
  });

  it('leaves a reset or closed connection alone', () => {
    for (const [error, state] of [
      [parseError('ECONNRESET'), {}],
      [parseError('HPE_INVALID_METHOD'), { destroyed: true }],
    ] as const) {
      const { socket, asSocket } = fakeSocket(state);
      answerClientError(error, asSocket);
      expect(socket.write).not.toHaveBeenCalled();
      expect(socket.destroy).not.toHaveBeenCalled();
    }
  });
});
