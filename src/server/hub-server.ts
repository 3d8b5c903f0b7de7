import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { BulwarkConfig } from '../config/index.js';
import { BulwarkError } from '../errors/index.js';
import { buildHubApp } from '../hub/app.js';
import { hubOnlyCookies } from '../hub/auth/cookie-names.js';
import { loadCookieSecret } from '../hub/auth/cookie-secret.js';
import { createXsrfGuard } from '../hub/auth/xsrf.js';
import type { HubDeps } from '../hub/hub-deps.js';
import { createOAuthStore } from '../hub/oauth/oauth-store.js';
import { hubPaths } from '../hub/paths.js';
import { createServerManager, type ServerManager } from '../hub/servers/server-manager.js';
import type { Logger } from '../log/index.js';
import { createForwarder, createRouteTable, type Forwarder, type RouteTable } from '../proxy/index.js';
import { createLocalProcessSpawner } from '../spawner/local-process-spawner.js';
import type { Spawner } from '../spawner/spawner.js';
import { assertSafeBind, parseBindUrl } from './listen-address.js';
import { openServices, resolveDataDir, type CoreServices } from './services.js';

export interface HubHandle {
  /** Public URL with the real port, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  app: FastifyInstance<Server>;
  services: CoreServices;
  servers: ServerManager;
  routes: RouteTable;
  /** Stops listening and closes the database; stops users' servers when asked (spawner.cleanup_servers). */
  close(options?: { stopServers?: boolean }): Promise<void>;
}

export interface StartHubOptions {
  logger: Logger;
  /** Replaces the local process spawner (tests of the hub's own logic). */
  spawner?: Spawner;
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  return q === -1 ? raw : raw.slice(0, q);
}

/**
 * The composition root of `bulwark hub`: config → services → spawner → proxy → hub app, all on
 * one public listener. The embedded proxy sees every request first: hub paths go to the app,
 * paths with a route go to the user's server, everything else to the app's default route.
 */
export async function startHub(config: Readonly<BulwarkConfig>, options: StartHubOptions): Promise<HubHandle> {
  const address = parseBindUrl(config.hub.bind_url, 'hub.bind_url');
  assertSafeBind(address, config.hub.insecure_http, 'hub.bind_url');
  if (address.tls || config.hub.tls.keystore !== null) {
    throw new BulwarkError('CONFIG_INVALID', { detail: 'hub.tls.keystore: TLS from keystores is not available in this release yet' });
  }
  if (config.proxy.mode !== 'embedded') {
    throw new BulwarkError('CONFIG_INVALID', { detail: 'proxy.mode: only "embedded" is available in this release' });
  }
  const logger = options.logger;
  const services = await openServices(config, { logger });
  const paths = hubPaths(config.hub.base_url);
  const routes = createRouteTable();
  const spawner = options.spawner ?? createLocalProcessSpawner(config.spawner, { logger });
  const oauth = createOAuthStore({ db: services.database.db, clock: services.clock });
  let apiUrl = '';
  const servers = createServerManager({
    db: services.database.db,
    tokens: services.tokens,
    oauth,
    audit: services.audit,
    logger,
    clock: services.clock,
    spawner,
    routes,
    paths,
    apiUrl: () => apiUrl,
    concurrentSpawnLimit: config.hub.concurrent_spawn_limit,
  });
  const deps: HubDeps = {
    config,
    logger,
    clock: services.clock,
    database: services.database,
    audit: services.audit,
    users: services.users,
    tokens: services.tokens,
    sessions: services.sessions,
    oauth,
    servers,
    xsrf: createXsrfGuard(loadCookieSecret(resolveDataDir(config))),
    paths,
    tls: false,
  };
  const forwarder: Forwarder = createForwarder({ logger, removeCookies: hubOnlyCookies });
  let server: Server | undefined;
  const app = await buildHubApp(deps, {
    serverFactory: (handler) => {
      server = createServer((req: IncomingMessage, res: ServerResponse) => {
        const path = pathOf(req.url);
        const route = path.startsWith(paths.hub) ? undefined : routes.match(path);
        if (route) forwarder.web(req, res, route);
        else handler(req, res);
      });
      server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        const route = routes.match(pathOf(req.url));
        if (route && !pathOf(req.url).startsWith(paths.hub)) forwarder.ws(req, socket, head, route);
        else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      });
      return server;
    },
  });
  await servers.restore();
  await app.listen({ host: address.host, port: address.port });
  const port = (server?.address() as AddressInfo).port;
  const reachableHost = address.host === '0.0.0.0' || address.host === '::' ? '127.0.0.1' : address.host;
  const hostForUrl = reachableHost.includes(':') ? `[${reachableHost}]` : reachableHost;
  apiUrl = `http://${hostForUrl}:${port}${paths.api}`;
  const url = `http://${hostForUrl}:${port}`;
  logger.info({ url: `${url}${paths.hub}`, database: services.database.location }, 'hub listening');
  let closed = false;
  return {
    url,
    port,
    app,
    services,
    servers,
    routes,
    async close(closeOptions = {}) {
      if (closed) return;
      closed = true;
      await servers.shutdown(closeOptions.stopServers ?? config.spawner.cleanup_servers);
      forwarder.close();
      await app.close();
      await services.close();
    },
  };
}
