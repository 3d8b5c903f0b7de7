import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
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
import { createServiceRegistry } from '../hub/services/service-registry.js';
import { createGroupStore, createRoleBook } from '../identity/index.js';
import { openKeystore, reloadOnSighup } from '../keystore/index.js';
import type { Logger } from '../log/index.js';
import { createExternalProxyLink } from '../proxy/external-proxy-link.js';
import { createForwarder, createRouteTable, type Forwarder, type RouteTable } from '../proxy/index.js';
import { createLocalProcessSpawner } from '../spawner/local-process-spawner.js';
import { cleanupNotebookDir } from '../spawner/notebook-dir-cleanup.js';
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
  /** Settles once the hub has closed, also when POST /hub/api/shutdown asked for it. */
  closed: Promise<void>;
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
  const keystoreUri = config.hub.tls.keystore;
  if (address.tls && keystoreUri === null) throw new BulwarkError('KEYSTORE_NOT_CONFIGURED', { key: 'hub.bind_url' });
  assertSafeBind({ ...address, tls: keystoreUri !== null }, config.hub.insecure_http, 'hub.bind_url');
  const logger = options.logger;
  // TLS material is opened and proven (test handshake) before the data dir is touched or anything listens.
  const openTls = () => openKeystore(keystoreUri ?? '', config.hub.tls, logger);
  const keystore = keystoreUri === null ? null : await openTls();
  const services = await openServices(config, { logger });
  const paths = hubPaths(config.hub.base_url);
  // proxy.mode external: a CHP-compatible proxy in front routes /user/ paths; this listener serves the hub only.
  const external =
    config.proxy.mode === 'external'
      ? createExternalProxyLink({
          apiUrl: config.proxy.api_url,
          authToken: config.proxy.auth_token ?? process.env['CONFIGPROXY_AUTH_TOKEN'],
          checkIntervalSeconds: config.proxy.check_routes_interval,
          logger,
        })
      : undefined;
  const routes: RouteTable = external?.routes ?? createRouteTable();
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
    activeServerLimit: config.hub.active_server_limit,
    userSpawnInterval: config.hub.user_spawn_interval,
    onForget: async (user, serverName) => {
      if (!config.spawner.cleanup_notebook_dir_on_delete) return;
      const outcome = await cleanupNotebookDir(config.spawner.notebook_dir, user.name, serverName);
      if ('removed' in outcome) logger.info({ user: user.name, server: serverName, path: outcome.removed }, 'notebook directory removed');
      else logger.warn({ user: user.name, server: serverName, path: outcome.path, reason: outcome.refused }, 'notebook directory kept');
    },
  });
  const roles = createRoleBook(config.roles);
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
    groups: createGroupStore({ db: services.database.db, audit: services.audit }),
    roles,
    serviceRegistry: createServiceRegistry({ config, oauth, routes, roles, paths, logger }),
    routes,
    requestShutdown: ({ servers: stopServers }) => void handle.close({ stopServers }),
    apiUrl: () => apiUrl,
    tls: keystore !== null,
  };
  const forwarder: Forwarder = createForwarder({ logger, removeCookies: hubOnlyCookies });
  let server: Server | undefined;
  let tlsServer: HttpsServer | undefined;
  let appHandler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const app = await buildHubApp(deps, {
    serverFactory: (handler) => {
      appHandler = handler;
      const listener = (req: IncomingMessage, res: ServerResponse) => {
        const path = pathOf(req.url);
        const route = external !== undefined || path.startsWith(paths.hub) ? undefined : routes.match(path);
        if (route) forwarder.web(req, res, route);
        else handler(req, res);
      };
      if (keystore) server = tlsServer = createHttpsServer(keystore.secureContext, listener);
      else server = createServer(listener);
      server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        const route = external === undefined ? routes.match(pathOf(req.url)) : undefined;
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
  const loopbackApi = keystore && appHandler ? await listenLoopbackApi(appHandler, paths.api) : undefined;
  apiUrl = loopbackApi ? `http://127.0.0.1:${(loopbackApi.address() as AddressInfo).port}${paths.api}` : `http://${hostForUrl}:${port}${paths.api}`;
  const stopReload = tlsServer ? reloadOnSighup(tlsServer, openTls, logger) : () => {};
  const url = `${keystore ? 'https' : 'http'}://${hostForUrl}:${port}`;
  logger.info({ url: `${url}${paths.hub}`, database: services.database.location }, 'hub listening');
  await external?.start(url, config.hub.base_url);
  let closed = false;
  let markClosed = () => {};
  const handle: HubHandle = {
    closed: new Promise<void>((resolve) => (markClosed = resolve)),
    url,
    port,
    app,
    services,
    servers,
    routes,
    async close(closeOptions = {}) {
      if (closed) return;
      closed = true;
      stopReload();
      loopbackApi?.closeAllConnections();
      loopbackApi?.close();
      await servers.shutdown(closeOptions.stopServers ?? config.spawner.cleanup_servers);
      await external?.close();
      forwarder.close();
      await app.close();
      await services.close();
      markClosed();
    },
  };
  return handle;
}

/**
 * With TLS on, single-user servers reach the hub API (activity, /hub/api/user, the OAuth token
 * exchange) over plain HTTP on a second listener bound to 127.0.0.1 that answers only API paths.
 * Not https to the public listener: its certificate names the public host, not 127.0.0.1, and
 * every single-user server would have to trust its CA. Other unprivileged users cannot read
 * loopback traffic, and every API call needs a token: the trust JupyterHub gives its hub_ip
 * listener behind a TLS-terminating proxy. hub.internal_tls (mutual TLS) is meant to replace it.
 */
async function listenLoopbackApi(handler: (req: IncomingMessage, res: ServerResponse) => void, apiPrefix: string): Promise<Server> {
  const api = createServer((req, res) => {
    if (pathOf(req.url).startsWith(apiPrefix)) handler(req, res);
    else res.writeHead(404, { 'content-length': '0' }).end();
  });
  await new Promise<void>((resolve, reject) => {
    api.once('error', reject);
    api.listen(0, '127.0.0.1', () => resolve());
  });
  return api;
}
