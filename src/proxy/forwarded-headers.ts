import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { TLSSocket } from 'node:tls';

function append(headers: OutgoingHttpHeaders, name: string, value: string): void {
  const existing = headers[name];
  const previous = Array.isArray(existing) ? existing.join(', ') : existing === undefined ? '' : String(existing);
  headers[name] = previous === '' ? value : `${previous}, ${value}`;
}

/** True when the client's connection to us is TLS (the socket is a TLSSocket). */
export function isEncrypted(req: Pick<IncomingMessage, 'socket'>): boolean {
  return (req.socket as Partial<TLSSocket>).encrypted === true;
}

/**
 * Appends this hop to X-Forwarded-For, -Proto, -Host and -Port. Appending (not replacing) keeps what a
 * proxy in front of us said; Tornado, which runs jupyterhub-singleuser, reads the last value of a
 * list, which is ours. Proto is http or https even for WebSockets, the values Tornado accepts.
 */
export function appendForwardedHeaders(headers: OutgoingHttpHeaders, req: IncomingMessage): void {
  const address = req.socket.remoteAddress;
  if (address !== undefined) append(headers, 'x-forwarded-for', address.startsWith('::ffff:') ? address.slice(7) : address);
  append(headers, 'x-forwarded-proto', isEncrypted(req) ? 'https' : 'http');
  if (req.headers.host !== undefined) append(headers, 'x-forwarded-host', req.headers.host);
  const port = req.socket.localPort;
  if (port !== undefined) append(headers, 'x-forwarded-port', String(port));
}
