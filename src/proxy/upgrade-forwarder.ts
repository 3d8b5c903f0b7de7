import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { loggablePath, trackUntilClosed, type ForwardContext } from './forward-context.js';
import { stripHopByHopRawHeaders } from './hop-by-hop-headers.js';
import { rawProxyErrorResponse } from './proxy-error-response.js';
import type { Route } from './route-table.js';
import { buildUpstreamHeaders } from './upstream-request-headers.js';
import { headerOptions } from './upstream-header-options.js';
import { errorCode, isUnreachableError, timeoutError, toProxyError } from './upstream-error.js';
import { openTunnel } from './websocket-tunnel.js';

/** Status line and headers of a backend answer, as bytes for a raw socket. */
function responseHead(res: IncomingMessage, raw: string[], extra: string[] = []): string {
  const lines = [`HTTP/1.1 ${res.statusCode ?? 502} ${res.statusMessage ?? ''}`];
  for (let i = 0; i + 1 < raw.length; i += 2) lines.push(`${raw[i] ?? ''}: ${raw[i + 1] ?? ''}`);
  lines.push(...extra);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/**
 * Forwards an upgrade request (a WebSocket handshake) to the route's backend. On 101 the two sockets
 * are joined; any other answer (a 403 for a foreign Origin, a 404, a redirect to log in) is relayed to
 * the client with its body and the connection is closed, which is what a browser expects.
 */
export function forwardUpgrade(ctx: ForwardContext, req: IncomingMessage, client: Duplex, head: Buffer, route: Route): void {
  ctx.activity.record(route);
  const target = ctx.target(route);
  const send = target.url.protocol === 'https:' ? https.request : http.request;
  const upstream = send({
    ...target.requestOptions(req.url),
    method: req.method,
    headers: buildUpstreamHeaders(req, headerOptions(ctx, target, true)),
    agent: ctx.upgradeAgent(target),
  });
  trackUntilClosed(ctx.live, upstream);
  trackUntilClosed(ctx.live, client);
  let settled = false;

  const onClientGone = (): void => {
    if (settled) return;
    settled = true;
    upstream.destroy();
  };
  client.on('error', onClientGone);
  client.once('close', onClientGone);
  const detachClient = (): void => {
    settled = true;
    client.off('error', onClientGone);
    client.off('close', onClientGone);
  };

  if (ctx.timeoutMs > 0) {
    upstream.setTimeout(ctx.timeoutMs, () => upstream.destroy(timeoutError(ctx.timeoutMs)));
  }

  upstream.on('upgrade', (upstreamRes, upstreamSocket, upstreamHead) => {
    if (settled) {
      upstreamSocket.destroy();
      return;
    }
    detachClient();
    client.write(responseHead(upstreamRes, stripHopByHopRawHeaders(upstreamRes.rawHeaders, { keepUpgrade: true })));
    openTunnel(ctx, route, client, head, upstreamSocket, upstreamHead);
  });

  upstream.on('response', (upstreamRes) => {
    if (settled) {
      upstream.destroy();
      return;
    }
    detachClient();
    // The body is relayed as it arrives and delimited by closing the connection, so any
    // Transfer-Encoding of the backend (already decoded by Node) is dropped.
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
    upstreamRes.on('error', () => client.destroy());
    client.write(responseHead(upstreamRes, stripHopByHopRawHeaders(upstreamRes.rawHeaders), ['Connection: close']));
    upstreamRes.pipe(client);
  });

  upstream.on('error', (err) => {
    if (settled) return;
    detachClient();
    const path = loggablePath(req);
    if (isUnreachableError(err)) {
      ctx.logger.warn(
        { prefix: route.prefix, target: route.target, path, code: errorCode(err) },
        `proxy error: ${errorCode(err) ?? 'error'} websocket ${path} -> ${route.target}`,
      );
    } else {
      ctx.logger.error({ prefix: route.prefix, target: route.target, path, err }, 'proxy error: websocket handshake with backend failed');
    }
    client.on('error', () => undefined);
    if (client.writable) client.end(rawProxyErrorResponse(req, toProxyError(err, route)));
    else client.destroy();
  });

  upstream.end();
}
