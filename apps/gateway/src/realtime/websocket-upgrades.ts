import { type BeforeApplicationShutdown, HttpException, Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';

const UPGRADE = Symbol('websocket-upgrade');

interface PendingUpgrade {
  socket: Duplex;
  head: Buffer;
}

type UpgradeRequest = IncomingMessage & { [UPGRADE]?: PendingUpgrade };

function destroyOnError(this: Duplex): void {
  this.destroy();
}

/**
 * WebSocket upgrades that go through the same Fastify routing, Nest guards, pipes and error filter
 * as every other request: the upgrade request is routed like a normal one, and the route's handler
 * completes the handshake (with `ws`) only once authentication and every check have passed;
 * anything else answers the upgrade request with an ordinary HTTP error. (@fastify/websocket
 * performs the handshake before Nest's handler runs, so guards and the error filter would not
 * apply to refusals; see ADR 0021.)
 */
@Injectable()
export class WebSocketUpgrades implements BeforeApplicationShutdown {
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: 4_096, perMessageDeflate: false });

  attach(fastify: FastifyInstance): void {
    fastify.server.on('upgrade', (request: UpgradeRequest, socket: Duplex, head: Buffer) => {
      socket.on('error', destroyOnError);
      request[UPGRADE] = { socket, head };
      const response = new ServerResponse(request);
      response.assignSocket(socket as never);
      // An HTTP answer instead of the handshake (401, 404, 400...): the connection ends with it.
      response.once('finish', () => socket.end());
      fastify.routing(request, response);
    });
  }

  /** Completes the handshake of a request that asked for a WebSocket; 426 for one that did not. */
  accept(request: FastifyRequest, reply: FastifyReply): Promise<WebSocket> {
    const raw = request.raw as UpgradeRequest;
    const pending = raw[UPGRADE];
    if (!pending || String(raw.headers.upgrade).toLowerCase() !== 'websocket') {
      throw new HttpException({ error: 'This route speaks WebSocket: connect with a WebSocket client (Upgrade: websocket)' }, 426);
    }
    reply.hijack();
    pending.socket.removeListener('error', destroyOnError);
    return new Promise((resolve, reject) => {
      // `ws` answers a malformed handshake itself and closes the socket without calling back.
      pending.socket.once('close', () => reject(new Error('WebSocket handshake failed')));
      this.server.handleUpgrade(raw, pending.socket, pending.head, resolve);
    });
  }

  beforeApplicationShutdown(): void {
    this.server.close();
  }
}
