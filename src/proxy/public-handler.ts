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
/** CHP's health check, answered by the proxy itself (never forwarded). */
export const healthCheckPath = '/_chp_healthz';

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

/** The route of a request path (and Host, with host routing); shared by the handlers and the fast front. */
export function createRouteFinder(table: RouteTable, hostRouting: boolean): (url: string, host: string | undefined) => Route | undefined {
  return (url, host) => table.match(routingPath(url), hostRouting ? host : undefined);
}

/** The public listener of `bulwark proxy`: health check, route lookup, forwarding, error pages. */
export function createPublicHandlers(options: PublicHandlerOptions): PublicHandlers {
  const { table, forwarder, metrics, errorPage, hostRouting } = options;
  const findRoute = createRouteFinder(table, hostRouting);
  const find = (req: IncomingMessage): Route | undefined => findRoute(req.url ?? '/', req.headers.host);
  return {
    request(req, res) {
      if (req.url === healthCheckPath) {
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
