import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { noRouteError, type ErrorPageResponder } from './error-pages.js';
import type { Forwarder } from './forwarder.js';
import type { ProxyMetrics } from './proxy-metrics.js';
import type { Route, RouteTable } from './route-table.js';

export interface PublicHandlerOptions {
  table: RouteTable;
  forwarder: Forwarder;
  /** CHP's --host-routing: routes are chosen by Host first. */
  hostRouting: boolean;
  errorPage: ErrorPageResponder;
  metrics: ProxyMetrics;
}

export interface PublicHandlers {
  request(req: IncomingMessage, res: ServerResponse): void;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

const healthBody = JSON.stringify({ status: 'OK' });

/**
 * The path to route on. Like CHP, percent-escapes are decoded first (`/user/a%40b` is the route
 * `/user/a@b`); the common case has none and costs nothing.
 */
function routingPath(url: string): string {
  if (!url.includes('%')) return url;
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

/** The public listener of `bulwark proxy`: health check, route lookup, forwarding, error pages. */
export function createPublicHandlers(options: PublicHandlerOptions): PublicHandlers {
  const { table, forwarder, metrics, errorPage, hostRouting } = options;
  const find = (req: IncomingMessage): Route | undefined =>
    table.match(routingPath(req.url ?? '/'), hostRouting ? req.headers.host : undefined);
  return {
    request(req, res) {
      if (req.url === '/_chp_healthz') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': healthBody.length });
        res.end(healthBody);
        return;
      }
      metrics.web();
      const route = find(req);
      if (route === undefined) {
        metrics.proxyError(404);
        req.resume();
        errorPage(req, res, noRouteError(req));
        return;
      }
      forwarder.web(req, res, route);
    },
    upgrade(req, socket, head) {
      metrics.ws();
      const route = find(req);
      if (route === undefined) {
        metrics.proxyError(404);
        socket.on('error', () => socket.destroy());
        socket.end(`HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
        return;
      }
      forwarder.ws(req, socket, head, route);
    },
  };
}
