import type { IncomingMessage, ServerResponse } from 'node:http';
import { createChunkedDecoder, type ChunkedDecoder } from './chunked-decoder.js';
import type { ClientFraming, ExchangeClient } from './exchange-client.js';
import type { ForwardContext } from './forward-context.js';
import { stripHopByHopRawHeaders } from './hop-by-hop-headers.js';
import { rewriteLocation } from './redirect-rewrite.js';
import { parseResponseHead, type ResponseHead } from './response-head.js';
import type { Route } from './route-table.js';
import { ServerResponseClient } from './server-response-client.js';
import { errorCode, isUnreachableError, timeoutError, toProxyError } from './upstream-error.js';
import type { ConnectionOwner, PooledConnection, UpstreamPool } from './upstream-pool.js';
import type { UpstreamTarget } from './upstream-target.js';

/**
 * The fast path for the common request: no body, plain-HTTP backend. The request head is written
 * as one string to a pooled backend socket and the answer is parsed here, with just enough HTTP to
 * find where it ends, instead of going through http.request, its agent and a second IncomingMessage.
 * Where the answer goes is an ExchangeClient: Node's ServerResponse, or the fast front's own writer
 * for requests it parsed itself (fast-front.ts). Requests with a body, https backends and upgrades
 * take the general path.
 */

/** A response head larger than this is refused, as Node's parser refuses one over its limit. */
const maxHeadBytes = 64 * 1024;
const headEnd = Buffer.from('\r\n\r\n');

const Body = { None: 0, Length: 1, Chunked: 2, UntilClose: 3 } as const;
type Body = (typeof Body)[keyof typeof Body];

function invalid(reason: string): Error {
  return Object.assign(new Error(`invalid response from backend: ${reason}`), { code: 'HPE_INVALID_RESPONSE' });
}

function hangUp(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

const framingOf: Record<Body, ClientFraming> = ['none', 'length', 'chunked', 'chunked'];

/** What the fast front needs of a running exchange. */
export interface RunningExchange {
  clientClosed(): void;
}

class RawExchange implements ConnectionOwner, RunningExchange {
  private connection: PooledConnection | undefined;
  private mayRetry = true;
  private done = false;
  private clientGone = false;
  private gotBytes = false;
  private answered = false;
  private pending: Buffer | undefined;
  private body: Body = Body.None;
  private remaining = 0;
  private chunked: ChunkedDecoder | undefined;
  private reusable = false;

  constructor(
    private readonly ctx: ForwardContext,
    private readonly pool: UpstreamPool,
    private readonly client: ExchangeClient,
    private readonly route: Route,
    private readonly target: UpstreamTarget,
    private readonly head: string,
  ) {}

  start(): void {
    const connection = this.pool.acquire(this.target.poolKey, this.target.hostname, this.target.port);
    this.connection = connection;
    connection.owner = this;
    connection.socket.write(this.head, 'latin1');
  }

  /** The client went away: the backend's answer can no longer be delivered, its connection is dropped. */
  clientClosed(): void {
    if (this.done) return;
    this.clientGone = true;
    this.fail(hangUp());
  }

  onData(chunk: Buffer): void {
    this.gotBytes = true;
    try {
      if (this.answered) this.onBody(chunk);
      else this.onHead(chunk);
    } catch (err) {
      this.fail(err instanceof Error ? err : invalid(String(err)));
    }
  }

  onClose(error: Error | undefined, ended: boolean): void {
    if (this.done) return;
    if (this.answered && this.body === Body.UntilClose && ended) {
      this.done = true;
      this.client.end();
      return;
    }
    this.fail(error ?? hangUp());
  }

  onTimeout(): void {
    this.fail(timeoutError(this.ctx.timeoutMs));
  }

  private onHead(chunk: Buffer): void {
    const data = this.pending === undefined ? chunk : Buffer.concat([this.pending, chunk]);
    const end = data.indexOf(headEnd);
    if (end === -1) {
      if (data.length > maxHeadBytes) throw invalid('response head too large');
      this.pending = data;
      return;
    }
    this.pending = undefined;
    const head = parseResponseHead(data.toString('latin1', 0, end));
    const rest = data.subarray(end + 4);
    if (head.status < 200) {
      // 1xx interim answers (103 Early Hints) are not relayed; 101 without an upgrade is not HTTP.
      if (head.status === 101) throw invalid('101 Switching Protocols to a request without Upgrade');
      if (rest.length > 0) this.onHead(rest);
      return;
    }
    this.respond(head);
    if (this.body === Body.None) {
      if (rest.length > 0) this.reusable = false;
      this.complete();
      this.client.end();
    } else if (rest.length > 0) {
      this.onBody(rest);
    }
  }

  private respond(head: ResponseHead): void {
    const { status } = head;
    const method = this.client.method;
    const framed = head.chunked || head.otherEncoding;
    if (method === 'HEAD' || status === 204 || status === 304) this.body = Body.None;
    else if (head.chunked) this.body = Body.Chunked;
    else if (head.otherEncoding || head.contentLength === -1) this.body = Body.UntilClose;
    else if (head.contentLength === 0) this.body = Body.None;
    else this.body = Body.Length;
    this.remaining = head.contentLength;
    this.reusable = head.keepAlive && this.body !== Body.UntilClose;
    if (this.body === Body.Chunked) this.chunked = createChunkedDecoder((payload) => this.write(payload));

    const headers = stripHopByHopRawHeaders(head.rawHeaders);
    for (let i = 0; i < headers.length; i += 2) {
      const name = headers[i] as string;
      if (name.length === 14 && framed && name.toLowerCase() === 'content-length') {
        // The length of a chunked message's wire form is meaningless once it is re-framed.
        headers.splice(i, 2);
        i -= 2;
      } else if (name.length === 8 && this.ctx.redirects !== undefined && name.toLowerCase() === 'location') {
        headers[i + 1] = rewriteLocation(status, headers[i + 1] as string, this.target.url, this.client.host, this.ctx.redirects);
      }
    }
    try {
      this.client.head(status, head.statusMessage, headers, framingOf[this.body]);
    } catch (err) {
      // Node refuses a header value or reason it could not send (a control character, say).
      throw Object.assign(invalid(err instanceof Error ? err.message : String(err)), { cause: err });
    }
    this.answered = true;
  }

  private onBody(chunk: Buffer): void {
    switch (this.body) {
      case Body.Length: {
        if (chunk.length < this.remaining) {
          this.remaining -= chunk.length;
          this.write(chunk);
          return;
        }
        // Bytes after the declared length belong to no request; the connection is not reused.
        if (chunk.length > this.remaining) this.reusable = false;
        const last = chunk.length === this.remaining ? chunk : chunk.subarray(0, this.remaining);
        this.remaining = 0;
        this.complete();
        this.client.end(last);
        return;
      }
      case Body.Chunked: {
        const end = (this.chunked as ChunkedDecoder).push(chunk);
        if (end === -1) return;
        if (end < chunk.length) this.reusable = false;
        this.complete();
        this.client.end();
        return;
      }
      case Body.UntilClose:
        this.write(chunk);
        return;
      default:
        // A body where none may be: the backend is out of step.
        this.reusable = false;
    }
  }

  /** Streams a body chunk to the client and stops reading the backend while the client is behind. */
  private write(chunk: Buffer): void {
    if (this.client.write(chunk)) return;
    const socket = (this.connection as PooledConnection).socket;
    socket.pause();
    this.client.onceDrain(() => {
      if (!this.done) socket.resume();
    });
  }

  private complete(): void {
    this.done = true;
    const connection = this.connection as PooledConnection;
    this.pool.release(connection, this.reusable);
  }

  private fail(err: Error): void {
    if (this.done) return;
    this.done = true;
    const connection = this.connection as PooledConnection;
    connection.owner = undefined;
    connection.socket.destroy();
    const { ctx, client, route } = this;
    if (this.clientGone) {
      ctx.logger.debug({ prefix: route.prefix, code: errorCode(err) }, 'client went away; backend request cancelled');
      return;
    }
    const code = errorCode(err);
    // A kept-alive socket the backend closed just as we reused it: safe to send again once.
    if (!this.gotBytes && this.mayRetry && connection.reused && (code === 'ECONNRESET' || code === 'EPIPE')) {
      this.mayRetry = false;
      this.done = false;
      this.start();
      return;
    }
    const fields = { prefix: route.prefix, target: route.target, method: client.method, path: client.loggablePath };
    if (isUnreachableError(err)) {
      ctx.logger.warn({ ...fields, code }, `proxy error: ${code ?? 'error'} ${client.method} ${fields.path} -> ${route.target}`);
    } else {
      ctx.logger.error({ ...fields, err }, 'proxy error: unexpected failure talking to backend');
    }
    if (this.answered || client.headersSent) {
      client.destroy();
      return;
    }
    client.fail(toProxyError(err, route));
  }
}

function ignore(): void {
  // The client side's errors are seen as the response closing early.
}

/** Forwards a body-less request over a pooled raw connection (see the file comment); `head` is its request head. */
export function forwardRaw(
  ctx: ForwardContext,
  req: IncomingMessage,
  res: ServerResponse,
  route: Route,
  target: UpstreamTarget,
  head: string,
): void {
  const exchange = new RawExchange(ctx, ctx.pool, new ServerResponseClient(ctx, req, res), route, target, head);
  req.on('error', ignore);
  res.on('error', ignore);
  res.on('close', () => {
    if (!res.writableFinished) exchange.clientClosed();
  });
  exchange.start();
}

/** The same for a client the caller watches itself (the fast front): it calls clientClosed() when the client goes. */
export function startRawExchange(ctx: ForwardContext, client: ExchangeClient, route: Route, target: UpstreamTarget, head: string): RunningExchange {
  const exchange = new RawExchange(ctx, ctx.pool, client, route, target, head);
  exchange.start();
  return exchange;
}
