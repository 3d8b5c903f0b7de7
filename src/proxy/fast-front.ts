import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { BulwarkError } from '../errors/index.js';
import { withoutQuery } from './forward-context.js';
import { SocketResponse, type FrontExchangeOwner } from './front-response.js';
import type { FrontRequest } from './raw-request-head.js';
import type { RunningExchange } from './raw-web-exchange.js';
import { scanRequestHead } from './request-head-scan.js';
import type { Route } from './route-table.js';
import type { ExchangeClient } from './exchange-client.js';

/**
 * The fast front: the client side of the plain-HTTP public listener for the request that dominates a
 * proxy's traffic (a body-less GET/HEAD/OPTIONS to a routed http backend). It reads such requests off
 * the socket itself and writes the answer back itself, without Node's per-request IncomingMessage,
 * ServerResponse and their streams (about a third of the proxy's CPU per request, bench/proxy/PROFILE.md).
 *
 * Everything else goes to Node's HTTP server, which stays the listener's owner: the first request the
 * strict scanner (request-head-scan.ts) does not accept, that has no route, or that goes to an https
 * backend is handed over at its first byte, with the rest of the connection, and Node parses it as if
 * it had read it itself. So Node's parser keeps the final say on every message that is not plainly
 * simple, and its timeouts, limits and error answers apply there unchanged. A request whose backend
 * fails before answering is handed over the same way, with the error attached: the server's request
 * handler then answers it with the usual error page (`answerHandedOverFailure`).
 */

export interface FastFrontOptions {
  /** The route for a request, or undefined when Node's request handler is to take it. */
  route(url: string, host: string | undefined): Route | undefined;
  /** Starts the raw exchange; undefined when the route's backend cannot take the fast path. */
  forward(request: FrontRequest, client: ExchangeClient, route: Route): RunningExchange | undefined;
  /** Called for each request the front forwards itself (metrics). */
  onForward?: () => void;
}

export interface FastFront {
  /** Puts the front in front of `server` (plain HTTP only): it receives the connections first. */
  install(server: http.Server): void;
  /**
   * For the server's request handler: when this request was handed over after its backend failed,
   * answers it with that error and returns true.
   */
  answerHandedOverFailure(req: IncomingMessage, answer: (error: BulwarkError) => void): boolean;
  /** Destroys the connections the front holds (server.close() waits for them otherwise). */
  close(): void;
}

const headEnd = Buffer.from('\r\n\r\n');

interface FrontSettings {
  options: FastFrontOptions;
  maxHeaderSize: number;
  headersTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** `Connection`/`Keep-Alive` lines of a kept-alive answer, as Node's server writes them. */
  keepAliveLines: string;
  connections: Set<FrontConnection>;
  failures: WeakMap<Socket, BulwarkError>;
  /** Node's own connection listener of the server. */
  handToNode(socket: Socket): void;
}

class FrontConnection implements FrontExchangeOwner {
  /** Unread bytes, starting at a request's first byte. */
  private buffered: Buffer | undefined;
  /** The bytes of the request being answered, for a hand-over after a failure. */
  private current: Buffer | undefined;
  private exchange: RunningExchange | undefined;
  private keepAlive = true;
  private ended = false;
  private finished = false;
  /** Answered a request already: idle time is now limited by the keep-alive timeout. */
  private idleIsKeepAlive = false;
  /** When an incomplete head started waiting for its remaining bytes. */
  private partialSince = 0;

  constructor(
    readonly socket: Socket,
    private readonly settings: FrontSettings,
  ) {
    socket.setNoDelay(true);
    // Like Node: a new connection has the header timeout to send its first request.
    socket.setTimeout(settings.headersTimeoutMs);
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
    socket.on('timeout', this.onTimeout);
    socket.on('close', this.onClose);
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.finished) return;
    this.buffered = this.buffered === undefined ? chunk : Buffer.concat([this.buffered, chunk]);
    if (this.exchange === undefined) this.next();
    // A pipelining client waits while its earlier request is answered.
    else if (this.buffered.length > this.settings.maxHeaderSize) this.socket.pause();
  };

  private readonly onEnd = (): void => {
    this.ended = true;
    if (this.exchange === undefined) this.finish();
  };

  private readonly onError = (): void => {
    // 'close' follows; an open exchange learns of it there.
  };

  private readonly onTimeout = (): void => {
    if (this.exchange !== undefined) return;
    // A head still incomplete: Node's own header timeout takes it from here.
    if (this.buffered !== undefined) this.handOff(undefined);
    else this.socket.destroy();
  };

  private readonly onClose = (): void => {
    this.settings.connections.delete(this);
    const exchange = this.exchange;
    this.exchange = undefined;
    exchange?.clientClosed();
  };

  /** Serves the buffered request if it is complete and simple; hands the connection to Node if it is not simple. */
  private next(): void {
    const data = this.buffered;
    if (data === undefined) return;
    const { maxHeaderSize, options } = this.settings;
    const end = data.indexOf(headEnd);
    if (end === -1 || end > maxHeaderSize) {
      if (data.length > maxHeaderSize) return this.handOff(undefined);
      if (this.partialSince === 0) this.partialSince = Date.now();
      else if (Date.now() - this.partialSince > this.settings.headersTimeoutMs) this.handOff(undefined);
      return;
    }
    this.partialSince = 0;
    const request = scanRequestHead(data.toString('latin1', 0, end));
    const route = request === undefined ? undefined : options.route(request.url, request.headers.host);
    if (request === undefined || route === undefined) return this.handOff(undefined);
    const rest = end + 4;
    this.current = rest === data.length ? data : data.subarray(0, rest);
    this.buffered = rest === data.length ? undefined : data.subarray(rest);
    this.keepAlive = request.keepAlive && !this.ended;
    const client = new SocketResponse(
      this,
      request.method,
      request.headers.host,
      withoutQuery(request.url),
      this.keepAlive ? this.settings.keepAliveLines : 'Connection: close\r\n',
    );
    this.exchange = options.forward({ method: request.method, url: request.url, headers: request.headers, socket: this.socket }, client, route);
    if (this.exchange === undefined) return this.handOff(undefined);
    options.onForward?.();
  }

  responseDone(): void {
    this.exchange = undefined;
    this.current = undefined;
    if (!this.keepAlive || this.ended) {
      this.finish();
      return;
    }
    if (!this.idleIsKeepAlive) {
      this.idleIsKeepAlive = true;
      this.socket.setTimeout(this.settings.keepAliveTimeoutMs);
    }
    if (this.socket.isPaused()) this.socket.resume();
    this.next();
  }

  failed(error: BulwarkError): void {
    this.exchange = undefined;
    this.handOff(error);
  }

  /** No more requests on this connection: the answers are written, the client gets FIN. */
  private finish(): void {
    this.finished = true;
    this.buffered = undefined;
    this.socket.end();
  }

  /**
   * Gives the connection to Node's HTTP server from the current request's first byte on. Node's
   * connection listener attaches its parser; the bytes read so far are put back into the socket's
   * readable buffer so that the parser reads them first.
   */
  private handOff(failure: BulwarkError | undefined): void {
    const { socket, settings } = this;
    settings.connections.delete(this);
    socket.off('data', this.onData);
    socket.off('end', this.onEnd);
    socket.off('error', this.onError);
    socket.off('timeout', this.onTimeout);
    socket.off('close', this.onClose);
    socket.setTimeout(0);
    if (socket.destroyed) return;
    const { current, buffered } = this;
    this.current = this.buffered = undefined;
    const bytes = current === undefined ? buffered : buffered === undefined ? current : Buffer.concat([current, buffered]);
    if (failure !== undefined) settings.failures.set(socket, failure);
    socket.pause();
    if (bytes !== undefined) socket.unshift(bytes);
    settings.handToNode(socket);
    socket.resume();
  }
}

/**
 * The server's limits, read when a connection arrives: a framework (Fastify) may set them after the
 * front was installed. Settings objects are shared while the limits stay the same.
 */
function settingsReader(server: http.Server, shared: Omit<FrontSettings, 'maxHeaderSize' | 'headersTimeoutMs' | 'keepAliveTimeoutMs' | 'keepAliveLines'>): () => FrontSettings {
  let current: FrontSettings | undefined;
  return () => {
    // Set from the server's options when given there; not in Node's typings.
    const maxHeaderSize = (server as { maxHeaderSize?: number }).maxHeaderSize ?? http.maxHeaderSize;
    const { headersTimeout, keepAliveTimeout } = server;
    if (current?.maxHeaderSize === maxHeaderSize && current.headersTimeoutMs === headersTimeout && current.keepAliveTimeoutMs === keepAliveTimeout) return current;
    const seconds = Math.floor(keepAliveTimeout / 1000);
    const keepAliveLines = seconds > 0 ? `Connection: keep-alive\r\nKeep-Alive: timeout=${seconds}\r\n` : 'Connection: keep-alive\r\n';
    current = { ...shared, maxHeaderSize, headersTimeoutMs: headersTimeout, keepAliveTimeoutMs: keepAliveTimeout, keepAliveLines };
    return current;
  };
}

export function createFastFront(options: FastFrontOptions): FastFront {
  const connections = new Set<FrontConnection>();
  const failures = new WeakMap<Socket, BulwarkError>();
  return {
    install(server) {
      if (server instanceof https.Server) throw new Error('fast front: plain HTTP listeners only');
      const nodeListeners = server.listeners('connection');
      const nodeListener = nodeListeners[0] as ((socket: Socket) => void) | undefined;
      // Node's http.Server registers exactly one: its own. Anything else would be bypassed.
      if (nodeListeners.length !== 1 || nodeListener === undefined) throw new Error('fast front: the server must have only Node\'s connection listener');
      server.removeListener('connection', nodeListener);
      const settings = settingsReader(server, {
        options,
        connections,
        failures,
        handToNode: (socket) => nodeListener.call(server, socket),
      });
      server.on('connection', (socket: Socket) => {
        connections.add(new FrontConnection(socket, settings()));
      });
    },
    answerHandedOverFailure(req, answer) {
      const failure = failures.get(req.socket);
      if (failure === undefined) return false;
      failures.delete(req.socket);
      req.resume();
      answer(failure);
      return true;
    },
    close() {
      for (const connection of connections) connection.socket.destroy();
      connections.clear();
    },
  };
}
