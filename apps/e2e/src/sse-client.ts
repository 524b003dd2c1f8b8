import { type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';

/** One dispatched SSE event: its fields as sent. */
export interface SseFrame {
  id?: string;
  event?: string;
  data: string;
}

export interface SseConnection {
  status: number;
  headers: IncomingMessage['headers'];
  /** Every line received, in order (what a client reading line by line sees). */
  lines: string[];
  comments: string[];
  frames: SseFrame[];
  /** The id of the last frame that had one: where to resume. */
  lastId?: string;
  /** Bytes received so far. */
  bytes: number;
  /** Resolves when the server ends the response (true) or the client aborted (false). */
  ended: Promise<boolean>;
  /** Stops reading from the socket (the kernel buffers fill, then the server's). */
  pause(): void;
  resume(): void;
  /** Drops the connection at once, mid-frame if need be. */
  abort(): void;
}

export interface SseOptions {
  headers?: Record<string, string>;
  /** Called after each complete frame; may abort or pause the connection. */
  onFrame?: (frame: SseFrame, connection: SseConnection) => void;
  /** Called after each chunk of bytes, before it is parsed into frames; may abort. */
  onBytes?: (connection: SseConnection) => void;
}

/**
 * A small SSE client on node:http that parses the stream as EventSource does (a frame is
 * dispatched at its blank line; comments start with ':'), and can pause or drop the connection
 * at any point, so tests can act as a slow or a disconnecting client.
 */
export function openSse(url: string, options: SseOptions = {}): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    let response: IncomingMessage | undefined;
    let aborted = false;
    let settle: (value: boolean) => void = () => undefined;
    const connection: SseConnection = {
      status: 0,
      headers: {},
      lines: [],
      comments: [],
      frames: [],
      bytes: 0,
      ended: new Promise<boolean>((done) => (settle = done)),
      pause: () => response?.pause(),
      resume: () => response?.resume(),
      abort: () => {
        aborted = true;
        request.destroy();
        settle(false);
      },
    };
    const request: ClientRequest = httpRequest(url, { headers: options.headers }, (res) => {
      response = res;
      connection.status = res.statusCode ?? 0;
      connection.headers = res.headers;
      res.setEncoding('utf8');
      let pending = '';
      let frame: Partial<SseFrame> & { data?: string } = {};
      res.on('data', (chunk: string) => {
        if (aborted) {
          return;
        }
        connection.bytes += Buffer.byteLength(chunk);
        options.onBytes?.(connection);
        if (aborted) {
          return;
        }
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          connection.lines.push(line);
          if (line === '') {
            if (frame.data !== undefined || frame.event !== undefined) {
              const complete: SseFrame = { ...frame, data: frame.data ?? '' };
              connection.frames.push(complete);
              if (complete.id !== undefined) {
                connection.lastId = complete.id;
              }
              options.onFrame?.(complete, connection);
              if (aborted) {
                return;
              }
            }
            frame = {};
          } else if (line.startsWith(':')) {
            connection.comments.push(line.slice(1).trim());
          } else {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'data') {
              frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
            } else if (field === 'id' || field === 'event') {
              frame[field] = value;
            }
          }
        }
      });
      res.on('end', () => settle(true));
      res.on('error', () => settle(false));
      res.on('close', () => settle(!aborted && res.complete));
      resolve(connection);
    });
    request.on('error', (error) => (connection.status === 0 ? reject(error) : settle(false)));
    request.end();
  });
}

/** Reads a whole stream (until the server ends it) and returns what came. */
export async function readSse(url: string, options: SseOptions = {}): Promise<SseConnection> {
  const connection = await openSse(url, options);
  await connection.ended;
  return connection;
}

/** The answer the token deltas of these frames spell. */
export function deltaText(frames: SseFrame[]): string {
  return frames
    .filter((frame) => frame.event === 'thread.message.delta')
    .map((frame) => (JSON.parse(frame.data) as { delta: string }).delta)
    .join('');
}
