import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BulwarkError } from '../errors/index.js';
import type { ExchangeClient } from './exchange-client.js';
import { loggablePath, type ForwardContext } from './forward-context.js';

/**
 * The client side of a raw exchange when Node's HTTP server parsed the request: Node's
 * ServerResponse does the framing, keep-alive and HEAD handling towards the client.
 */
export class ServerResponseClient implements ExchangeClient {
  constructor(
    private readonly ctx: ForwardContext,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {}

  get method(): string {
    return this.req.method ?? 'GET';
  }

  get host(): string | undefined {
    return this.req.headers.host;
  }

  get loggablePath(): string {
    return loggablePath(this.req);
  }

  get headersSent(): boolean {
    return this.res.headersSent;
  }

  head(status: number, reason: string, headers: readonly string[]): void {
    // Node frames the body itself (chunked when there is no Content-Length).
    this.res.writeHead(status, reason, headers as string[]);
  }

  write(chunk: Buffer): boolean {
    return this.res.write(chunk);
  }

  end(chunk?: Buffer): void {
    if (chunk === undefined) this.res.end();
    else this.res.end(chunk);
  }

  onceDrain(listener: () => void): void {
    this.res.once('drain', listener);
  }

  destroy(): void {
    this.res.destroy();
  }

  fail(error: BulwarkError): void {
    this.ctx.errorResponse(this.req, this.res, error);
  }
}
