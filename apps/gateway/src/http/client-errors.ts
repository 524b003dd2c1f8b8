import { newTrace } from '@shannon/logging';
import type { ConnectionError } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { TRACE_ID_HEADER } from './request-tracing';

export interface ClientErrorAnswer {
  status: number;
  error: string;
}

/** What is wrong, by the code of Node's HTTP parser (llhttp), for requests answered 400. */
const PROBLEMS: Record<string, string> = {
  HPE_INVALID_CONTENT_LENGTH: 'Invalid Content-Length header',
  HPE_UNEXPECTED_CONTENT_LENGTH: 'Invalid Content-Length header',
  HPE_INVALID_TRANSFER_ENCODING: 'Invalid Transfer-Encoding header',
  HPE_INVALID_CHUNK_SIZE: 'Invalid chunked body',
  HPE_INVALID_HEADER_TOKEN: 'Invalid header',
  HPE_INVALID_METHOD: 'Invalid HTTP method',
  HPE_INVALID_URL: 'Invalid request target',
  HPE_INVALID_VERSION: 'Invalid HTTP version',
};

/**
 * How a request Node could not read is answered: the status Node itself would answer (431 for
 * headers over its limit, 413 for chunk extensions over theirs, 408 for a request not received in
 * time, 400 otherwise) and a message naming the problem, with the parser's own words when it
 * gave some (`Invalid Transfer-Encoding header (Transfer-Encoding can't be present with
 * Content-Length)`).
 */
export function clientErrorAnswer(error: { code?: string; reason?: unknown }): ClientErrorAnswer {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      // The words of Fastify's answer, which clients (and seed 003's test) already read.
      return { status: 431, error: 'Request Header Fields Too Large' };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, error: 'Chunk extensions too large' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, error: 'The request was not received in time' };
    default: {
      const problem = (error.code && PROBLEMS[error.code]) || 'Malformed HTTP request';
      return { status: 400, error: typeof error.reason === 'string' && error.reason ? `${problem} (${error.reason})` : problem };
    }
  }
}

/** The response the socket is serving, if any (Node's own link, which its default answer checks too). */
function responseUnderWay(socket: Socket): { headersSent: boolean } | undefined {
  return (socket as Socket & { _httpMessage?: { headersSent: boolean } | null })._httpMessage ?? undefined;
}

/**
 * Fastify's `clientErrorHandler`: a request Node could not read (a malformed Content-Length,
 * chunked encoding or header, headers over the limit...) never reaches routing, hooks or filters.
 * It is answered in the public error shape, `{"error": "<message>"}` with the status Node chose,
 * a new trace in X-Trace-ID, and `Connection: close`, instead of Fastify's
 * `{"error":"Bad Request","message":"Client Error","statusCode":400}`. As Node does, nothing is
 * written over a response already under way on the connection, which is then closed.
 */
export function answerClientError(error: ConnectionError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) {
    return;
  }
  const { status, error: message } = clientErrorAnswer(error);
  if (socket.writable && !responseUnderWay(socket)?.headersSent) {
    const body = JSON.stringify({ error: message });
    socket.write(
      [
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
        'Content-Type: application/json; charset=utf-8',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Connection: close',
        `${TRACE_ID_HEADER}: ${newTrace().traceId}`,
        '',
        body,
      ].join('\r\n'),
    );
  }
  socket.destroy(error);
}
