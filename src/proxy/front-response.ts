import type { Socket } from 'node:net';
import type { BulwarkError } from '../errors/index.js';
import type { ClientFraming, ExchangeClient } from './exchange-client.js';

/** What a SocketResponse reports back to the connection it answers on (fast-front.ts). */
export interface FrontExchangeOwner {
  readonly socket: Socket;
  /** The whole answer is written; the connection may read its next request (or close). */
  responseDone(): void;
  /** Nothing of the answer was written: the request is to be answered with `error`. */
  failed(error: BulwarkError): void;
}

/** Bodies up to this size go out in one buffer with the head: one write, no writev. */
const coalesceLimit = 16 * 1024;

let dateSecond = 0;
let dateText = '';

/** The Date header's value, formatted at most once per second as Node's own server does. */
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}

/**
 * The client side of a raw exchange for a request the fast front parsed itself: the answer is
 * written straight to the client socket, framed as Node's ServerResponse would frame it (the
 * backend's Content-Length relayed, otherwise chunked; Date added when missing; Connection and
 * Keep-Alive of this hop). The head is held back until the first body bytes so that a small answer
 * leaves in one write.
 */
export class SocketResponse implements ExchangeClient {
  headersSent = false;
  private pendingHead: string | undefined;
  private chunked = false;

  constructor(
    private readonly owner: FrontExchangeOwner,
    readonly method: string,
    readonly host: string | undefined,
    readonly loggablePath: string,
    /** `Connection: keep-alive` + `Keep-Alive: timeout=N` lines, or `Connection: close` when the client asked for it. */
    private readonly connectionLines: string,
  ) {}

  head(status: number, reason: string, headers: readonly string[], framing: ClientFraming): void {
    let head = `HTTP/1.1 ${status} ${reason}\r\n`;
    let dated = false;
    for (let i = 0; i < headers.length; i += 2) {
      const name = headers[i] as string;
      if (name.length === 4 && name.toLowerCase() === 'date') dated = true;
      head += `${name}: ${headers[i + 1] as string}\r\n`;
    }
    if (!dated) head += `Date: ${httpDate()}\r\n`;
    head += this.connectionLines;
    if (framing === 'chunked') {
      head += 'Transfer-Encoding: chunked\r\n';
      this.chunked = true;
    }
    this.pendingHead = `${head}\r\n`;
  }

  write(chunk: Buffer): boolean {
    if (chunk.length === 0) return true;
    if (!this.chunked) return this.send('', chunk, '');
    return this.send(`${chunk.length.toString(16)}\r\n`, chunk, '\r\n');
  }

  end(chunk?: Buffer): void {
    const last = chunk !== undefined && chunk.length > 0 ? chunk : undefined;
    if (this.chunked) {
      if (last === undefined) this.send('', undefined, '0\r\n\r\n');
      else this.send(`${last.length.toString(16)}\r\n`, last, '\r\n0\r\n\r\n');
    } else if (last !== undefined || this.pendingHead !== undefined) {
      this.send('', last, '');
    }
    this.owner.responseDone();
  }

  onceDrain(listener: () => void): void {
    this.owner.socket.once('drain', listener);
  }

  destroy(): void {
    this.owner.socket.destroy();
  }

  fail(error: BulwarkError): void {
    this.owner.failed(error);
  }

  /** Writes `before` + `chunk` + `after` (latin1 text around the body), with the held-back head first. */
  private send(before: string, chunk: Buffer | undefined, after: string): boolean {
    const text = this.pendingHead === undefined ? before : this.pendingHead + before;
    this.pendingHead = undefined;
    this.headersSent = true;
    const socket = this.owner.socket;
    if (chunk === undefined) return socket.write(text + after, 'latin1');
    if (chunk.length <= coalesceLimit) {
      // Every character is one byte: header text came in as latin1 or is ASCII of our own.
      const out = Buffer.allocUnsafe(text.length + chunk.length + after.length);
      out.write(text, 0, 'latin1');
      chunk.copy(out, text.length);
      if (after.length > 0) out.write(after, text.length + chunk.length, 'latin1');
      return socket.write(out);
    }
    socket.cork();
    if (text.length > 0) socket.write(text, 'latin1');
    let ready = socket.write(chunk);
    if (after.length > 0) ready = socket.write(after, 'latin1');
    socket.uncork();
    return ready;
  }
}
