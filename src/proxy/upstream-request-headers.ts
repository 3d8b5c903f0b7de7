import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { removeCookies } from './cookie-header.js';
import { appendForwardedHeaders } from './forwarded-headers.js';
import { stripHopByHopHeaders } from './hop-by-hop-headers.js';

export interface UpstreamHeaderOptions {
  /** Cookie names the backend must never see (the hub's own credentials). */
  removeCookies: ReadonlySet<string>;
  /** A WebSocket (or other protocol) upgrade: keep Upgrade and Connection: Upgrade. */
  upgrade: boolean;
}

/**
 * The headers sent to the backend: the client's, Host included (the notebook server compares a
 * WebSocket's Origin with Host), minus hop-by-hop headers and hub cookies, plus X-Forwarded-*.
 * Hop-by-hop headers go first so a client cannot use `Connection: x-forwarded-for` to remove ours.
 */
export function buildUpstreamHeaders(req: IncomingMessage, options: UpstreamHeaderOptions): OutgoingHttpHeaders {
  const headers = stripHopByHopHeaders(req.headers, { keepUpgrade: options.upgrade });
  const cookie = removeCookies(req.headers.cookie, options.removeCookies);
  if (cookie === undefined) delete headers.cookie;
  else headers.cookie = cookie;
  appendForwardedHeaders(headers, req);
  return headers;
}
