import type { Logger } from '../log/logger.js';
import { createChpApiClient } from './chp-api-client.js';
import { createExternalRouteTable, type ExternalRouteTable } from './external-route-table.js';
import { startRouteSync, type RouteSync } from './route-sync.js';

export interface ExternalProxyLinkOptions {
  /** The proxy's REST API (proxy.api_url); JupyterHub's default is http://127.0.0.1:8001. */
  apiUrl: string | null;
  authToken: string | undefined;
  /** proxy.check_routes_interval, seconds. */
  checkIntervalSeconds: number;
  logger: Logger;
}

/** The hub's side of an external CHP-compatible proxy (proxy.mode: external). */
export interface ExternalProxyLink {
  /** The table to hand to the server manager: changes reach the proxy in the background. */
  routes: ExternalRouteTable;
  /**
   * Adds the hub's own default route (`{hub: true}`, like JupyterHub's), reconciles the proxy's
   * table with the hub's, and starts the periodic check. Call once the hub listens.
   */
  start(hubUrl: string, hubPrefix: string): Promise<void>;
  /** Stops the periodic check and waits for pending route pushes. Routes stay in the proxy. */
  close(): Promise<void>;
}

export function createExternalProxyLink(options: ExternalProxyLinkOptions): ExternalProxyLink {
  const logger = options.logger.child({ component: 'external-proxy' });
  const apiUrl = options.apiUrl ?? 'http://127.0.0.1:8001';
  const routes = createExternalRouteTable({ client: createChpApiClient({ apiUrl, authToken: options.authToken }), logger });
  let sync: RouteSync | undefined;
  return {
    routes,
    async start(hubUrl, hubPrefix) {
      routes.add(hubPrefix, hubUrl, { hub: true });
      await routes.flush();
      sync = startRouteSync(routes, options.checkIntervalSeconds);
      const first = await sync.runNow();
      if (first.error !== undefined) logger.warn({ apiUrl }, 'external proxy not reachable yet; routes are pushed when it is');
      else logger.info({ apiUrl, routes: routes.list().length }, 'routes synced with the external proxy');
    },
    async close() {
      sync?.stop();
      await routes.flush();
    },
  };
}
