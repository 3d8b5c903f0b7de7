import type { BulwarkError } from '../errors/index.js';

/**
 * How the answer's body reaches the client. `length`: the backend's Content-Length is relayed and
 * the bytes follow as they are; `chunked`: the client side frames it (the backend sent chunks or
 * reads until close); `none`: no body may follow (HEAD, 204, 304, Content-Length 0).
 */
export type ClientFraming = 'none' | 'length' | 'chunked';

/**
 * The client side of one raw exchange (raw-web-exchange.ts): where the backend's answer goes. Node's
 * ServerResponse is one (server-response-client.ts); the fast front's own socket writer is the
 * other (front-response.ts). The exchange reads the backend; this writes to the client.
 */
export interface ExchangeClient {
  readonly method: string;
  /** The client's Host header, for redirect rewriting. */
  readonly host: string | undefined;
  /** The request path without its query (which may hold a token), for log lines. */
  readonly loggablePath: string;
  /** True once any byte of the answer may have gone out: an error can no longer be answered. */
  readonly headersSent: boolean;
  /** Sends (or queues) the status line and headers. Throws when a header cannot be sent. */
  head(status: number, reason: string, headers: readonly string[], framing: ClientFraming): void;
  /** A body chunk; false when the client is behind and the caller should wait for `onceDrain`. */
  write(chunk: Buffer): boolean;
  /** The answer is complete (with a last chunk, if given). */
  end(chunk?: Buffer): void;
  onceDrain(listener: () => void): void;
  /** Cuts the client connection: part of the answer went out and the rest cannot follow. */
  destroy(): void;
  /** Answers with an error page; nothing of the backend's answer went out. */
  fail(error: BulwarkError): void;
}
