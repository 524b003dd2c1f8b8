import WebSocket from 'ws';

export interface WsSession {
  /** Each text frame, parsed. */
  messages: Record<string, unknown>[];
  /** The close code (1000 after STREAM_END), or the HTTP status when the upgrade was refused. */
  closeCode?: number;
  closeReason?: string;
  refusedStatus?: number;
  refusedBody?: string;
  /** The client dropped the connection itself. */
  dropped: boolean;
}

export interface WsOptions {
  headers?: Record<string, string>;
  /** Called after each message; return true to drop the connection at once. */
  onMessage?: (message: Record<string, unknown>, session: WsSession) => boolean | void;
}

/** Opens a WebSocket and collects its frames until it closes (either side) or the upgrade is refused. */
export function collectWs(url: string, options: WsOptions = {}): Promise<WsSession> {
  return new Promise((resolve) => {
    const session: WsSession = { messages: [], dropped: false };
    const socket = new WebSocket(url, { headers: options.headers });
    socket.on('message', (data: WebSocket.RawData) => {
      if (session.dropped) {
        return;
      }
      const message = JSON.parse(String(data)) as Record<string, unknown>;
      session.messages.push(message);
      if (options.onMessage?.(message, session)) {
        session.dropped = true;
        socket.terminate();
      }
    });
    socket.on('unexpected-response', (_request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        session.refusedStatus = response.statusCode;
        session.refusedBody = body;
        resolve(session);
      });
    });
    socket.on('close', (code: number, reason: Buffer) => {
      session.closeCode = code;
      session.closeReason = reason.toString();
      resolve(session);
    });
    socket.on('error', () => undefined);
  });
}
