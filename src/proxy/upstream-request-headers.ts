import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { removeCookies } from './cookie-header.js';
import { appendForwardedHeaders } from './forwarded-headers.js';
import { stripHopByHopHeaders } from './hop-by-hop-headers.js';

export interface UpstreamHeaderOptions {
  /** Cookie names the backend must never see (the hub's own credentials). */
  removeCookies: ReadonlySet<string>;
  /** A WebSocket (or other protocol) upgrade: keep Upgrade and Connection: Upgrade. */
  upgrade: boolean;
  /** Append X-Forwarded-For/-Proto/-Host/-Port (default true; CHP's --no-x-forward turns it off). */
  xForwarded?: boolean;
  /** Headers set on every forwarded request (CHP's --custom-header), lower-case names. */
  custom?: readonly (readonly [string, string])[];
  /** Replaces Host with the target's host:port (CHP's --change-origin). */
  host?: string;
}

/**
 * The headers sent to the backend: the client's, Host included (the notebook server compares a
 * WebSocket's Origin with Host), minus hop-by-hop headers and hub cookies, plus X-Forwarded-*.
 * Hop-by-hop headers go first so a client cannot use `Connection: x-forwarded-for` to remove ours.
 */
export function buildUpstreamHeaders(req: IncomingMessage, options: UpstreamHeaderOptions): OutgoingHttpHeaders {
  const headers = stripHopByHopHeaders(req.headers, { keepUpgrade: options.upgrade });
  if (req.headers.cookie !== undefined) {
    const cookie = removeCookies(req.headers.cookie, options.removeCookies);
    if (cookie === undefined) delete headers.cookie;
    else headers.cookie = cookie;
  }
  if (options.xForwarded !== false) appendForwardedHeaders(headers, req);
  if (options.custom !== undefined) for (const [name, value] of options.custom) headers[name] = value;
  if (options.host !== undefined) headers.host = options.host;
  return headers;
}
