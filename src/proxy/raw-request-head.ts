import type { IncomingMessage } from 'node:http';
import { removeCookies } from './cookie-header.js';
import type { ForwardContext } from './forward-context.js';
import { isEncrypted } from './forwarded-headers.js';
import { connectionTokens, isHopByHop } from './hop-by-hop-headers.js';
import type { UpstreamTarget } from './upstream-target.js';

/** What the head builder reads of a request: Node's IncomingMessage, or the fast front's scanned request. */
export type FrontRequest = Pick<IncomingMessage, 'method' | 'url' | 'headers' | 'socket'>;

/** The settings the head builder reads; a subset of ForwardContext. */
export type RawHeadContext = Pick<ForwardContext, 'removeCookies' | 'xForwarded' | 'customHeaders' | 'customHeaderNames' | 'changeOrigin'>;

function line(name: string, value: string | string[]): string {
  if (!Array.isArray(value)) return `${name}: ${value}\r\n`;
  let lines = '';
  for (const item of value) lines += `${name}: ${item}\r\n`;
  return lines;
}

/** `previous, ours`, or just ours: appending keeps what a proxy in front of us said (see forwarded-headers.ts). */
function appended(previous: string | undefined, value: string): string {
  return previous === undefined || previous === '' ? value : `${previous}, ${value}`;
}

/**
 * The request head for the fast path's raw backend connection, built in one pass over the client's
 * headers. It sends what buildUpstreamHeaders + an HTTP client would send (hop-by-hop headers and
 * Connection-named ones dropped, hub cookies removed, X-Forwarded-* appended, custom headers and
 * --change-origin applied, Host defaulted), without the intermediate header object per request.
 * Names and values come from Node's parser, which refused line breaks, or from checked config.
 */
export function rawRequestHead(ctx: RawHeadContext, req: FrontRequest, target: UpstreamTarget, path: string): string {
  const headers = req.headers;
  const connection = headers.connection;
  const named = connection === undefined ? undefined : new Set(connectionTokens(connection));
  const custom = ctx.customHeaderNames;
  const xForwarded = ctx.xForwarded;
  let head = `${req.method ?? 'GET'} ${path} HTTP/1.1\r\n`;
  let forwardedFor: string | undefined;
  let forwardedProto: string | undefined;
  let forwardedHost: string | undefined;
  let forwardedPort: string | undefined;
  let host: string | undefined;
  for (const name in headers) {
    let value = headers[name];
    if (value === undefined) continue;
    // Hop-by-hop first: `Connection: x-forwarded-for` removes the client's value, never ours.
    if (isHopByHop(name) || (named !== undefined && named.has(name))) continue;
    if (custom !== undefined && custom.has(name)) continue;
    if (xForwarded && name.length >= 15 && name.startsWith('x-forwarded-')) {
      // Node joins repeated X-Forwarded-* lines into one string.
      const text = Array.isArray(value) ? value.join(', ') : value;
      if (name === 'x-forwarded-for') forwardedFor = text;
      else if (name === 'x-forwarded-proto') forwardedProto = text;
      else if (name === 'x-forwarded-host') forwardedHost = text;
      else if (name === 'x-forwarded-port') forwardedPort = text;
      else head += line(name, value);
      continue;
    }
    if (name === 'host') {
      host = value as string;
      continue;
    }
    if (name === 'cookie') {
      value = removeCookies(value as string, ctx.removeCookies);
      if (value === undefined) continue;
    }
    head += line(name, value);
  }
  if (xForwarded) {
    const address = req.socket.remoteAddress;
    if (address !== undefined && custom?.has('x-forwarded-for') !== true) {
      head += `x-forwarded-for: ${appended(forwardedFor, address.startsWith('::ffff:') ? address.slice(7) : address)}\r\n`;
    } else if (forwardedFor !== undefined) {
      head += `x-forwarded-for: ${forwardedFor}\r\n`;
    }
    if (custom?.has('x-forwarded-proto') !== true) {
      head += `x-forwarded-proto: ${appended(forwardedProto, isEncrypted(req) ? 'https' : 'http')}\r\n`;
    }
    const clientHost = headers.host;
    if (clientHost !== undefined && custom?.has('x-forwarded-host') !== true) {
      head += `x-forwarded-host: ${appended(forwardedHost, clientHost)}\r\n`;
    } else if (forwardedHost !== undefined) {
      head += `x-forwarded-host: ${forwardedHost}\r\n`;
    }
    const port = req.socket.localPort;
    if (port !== undefined && custom?.has('x-forwarded-port') !== true) {
      head += `x-forwarded-port: ${appended(forwardedPort, String(port))}\r\n`;
    } else if (forwardedPort !== undefined) {
      head += `x-forwarded-port: ${forwardedPort}\r\n`;
    }
  }
  if (ctx.customHeaders !== undefined) {
    for (const [name, value] of ctx.customHeaders) {
      if (name === 'host') host = value;
      else head += `${name}: ${value}\r\n`;
    }
  }
  if (ctx.changeOrigin || host === undefined) host = target.url.host;
  return `${head}host: ${host}\r\nconnection: keep-alive\r\n\r\n`;
}
