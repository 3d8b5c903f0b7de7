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
import type { ChannelAdminPort } from '../hub/channel-admin-port.js';
import type { HubDeps } from '../hub/hub-deps.js';
import type { PackageChannelLink } from '../hub/servers/package-channel-link.js';
import { createPackageEnvironment } from '../hub/servers/package-environment.js';
import { createOAuthStore } from '../hub/oauth/oauth-store.js';
import { hubPaths } from '../hub/paths.js';
import { createServerManager, type ServerManager } from '../hub/servers/server-manager.js';
import { createShareStore } from '../hub/api/share-store.js';
import { createServiceRegistry } from '../hub/services/service-registry.js';
import { createGroupStore, createRoleBook } from '../identity/index.js';
import { openKeystore, reloadOnSighup, watchCertificateExpiry, type LoadedKeystore } from '../keystore/index.js';
import { openInternalTls } from '../keystore/internal-tls.js';
import { listenMutualTls } from '../keystore/mutual-tls-listener.js';
import type { Logger } from '../log/index.js';
import { createExternalProxyLink } from '../proxy/external-proxy-link.js';
import { createFastFront, createForwarder, createRouteTable, type FastFront, type Forwarder, type RouteTable } from '../proxy/index.js';
import { createLocalProcessSpawner } from '../spawner/local-process-spawner.js';
import { cleanupNotebookDir } from '../spawner/notebook-dir-cleanup.js';
import type { Spawner } from '../spawner/spawner.js';
import { assertSafeBind, parseBindUrl } from './listen-address.js';
import { choosePackageChannel } from './package-channel-choice.js';
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

/** An HTTP app served from the hub's listeners under a path prefix, e.g. the channel at /channel/. */
export interface MountedApp {
  /** Starts and ends with '/'; the prefix without its last '/' is routed to the app too. */
  prefix: string;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

/** Where the parts built by an extension reach the hub once it listens. */
export interface HubAddresses {
  /** The public URL (scheme, host, real port), e.g. https://hub.example:8443 */
  publicUrl(): string;
  /**
   * The origin single-user servers use for the hub: the loopback API listener when the public one
   * uses TLS, else the public origin. Mounted apps answer there too. With hub.internal_tls the hub
   * API itself is on a separate mutual-TLS listener (apiUrl), and this origin serves mounts only.
   */
  serverOrigin(): string;
}

/**
 * What a composition root adds to the hub (`bulwark up` adds the channel): built once the
 * shared services are open, so both parts use one database and one identity store.
 */
export interface HubExtension {
  mounts?: readonly MountedApp[];
  /** The channel's review in the hub's admin area (/hub/admin/channel). */
  channelAdmin?: ChannelAdminPort;
  /** The channel single-user servers' pip is bound to (spawner.package_channel). */
  packageChannel?: PackageChannelLink;
  /** Runs after the hub has stopped its servers and listeners, before the database closes. */
  close?(): Promise<void>;
}

export interface StartHubOptions {
  logger: Logger;
  /** Replaces the local process spawner (tests of the hub's own logic). */
  spawner?: Spawner;
  extend?: (services: CoreServices, addresses: HubAddresses) => Promise<HubExtension>;
}

async function extendHub(options: StartHubOptions, services: CoreServices, addresses: HubAddresses): Promise<HubExtension> {
  if (!options.extend) return {};
  try {
    return await options.extend(services, addresses);
  } catch (error) {
    await services.close();
    throw error;
  }
}

/** `/channel` gets a redirect to `/channel/`; everything below the prefix goes to the app. */
function serveMount(mount: MountedApp, path: string, req: IncomingMessage, res: ServerResponse): void {
  if (path.length === mount.prefix.length - 1) {
    const query = req.url?.slice(path.length) ?? '';
    res.writeHead(301, { location: `${mount.prefix}${query}`, 'content-length': '0' }).end();
    return;
  }
  mount.handler(req, res);
}

function mountFor(mounts: readonly MountedApp[], path: string): MountedApp | undefined {
  for (const mount of mounts) {
    if (path.startsWith(mount.prefix) || path === mount.prefix.slice(0, -1)) return mount;
  }
  return undefined;
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  return q === -1 ? raw : raw.slice(0, q);
}

/**
 * The composition root of `bulwark hub`: config -> services -> spawner -> proxy -> hub app, all on
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
  // The keystore in service (replaced by a SIGHUP reload): for the expiry metric and warnings.
  let servedTls: LoadedKeystore | null = null;
  const openTls = async () => (servedTls = await openKeystore(keystoreUri ?? '', config.hub.tls, logger));
  const keystore = keystoreUri === null ? null : await openTls();
  // Also before anything listens: the internal CA comes from (or goes into) the kernel keyring.
  const internalTls = config.hub.internal_tls.enabled ? await openInternalTls(config.hub.internal_tls, { dataDir: resolveDataDir(config), externalProxy: config.proxy.mode === 'external', logger }) : null;
  const services = await openServices(config, { logger });
  const paths = hubPaths(config.hub.base_url);
  let url = '';
  let serverOrigin = '';
  const extension = await extendHub(options, services, { publicUrl: () => url, serverOrigin: () => serverOrigin });
  const mounts = extension.mounts ?? [];
  const packageChannel = await choosePackageChannel(config, extension, logger, async () => {
    await extension.close?.();
    await services.close();
  });
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
  const spawner = options.spawner ?? createLocalProcessSpawner(config.spawner, { logger, ...(internalTls ? { serverTls: internalTls } : {}) });
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
    // pip.conf, user site and venvs are made for OS accounts: only with the local process spawner.
    ...(packageChannel && !options.spawner ? { packageEnvironment: createPackageEnvironment(config.spawner, packageChannel, logger) } : {}),
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
    serviceRegistry: createServiceRegistry({ config, oauth, routes, roles, paths, logger, database: services.database }),
    shares: createShareStore(services.database),
    routes,
    requestShutdown: ({ servers: stopServers }) => void handle.close({ stopServers }),
    apiUrl: () => apiUrl,
    tls: keystore !== null,
    tlsCertificate: () => servedTls?.chain[0] ?? null,
    ...(extension.channelAdmin ? { channelAdmin: extension.channelAdmin } : {}),
    ...(packageChannel ? { packageChannel } : {}),
  };
  const forwarder: Forwarder = createForwarder({ logger, removeCookies: hubOnlyCookies, ...(internalTls ? { upstreamTls: internalTls.hubClient } : {}) });
  let server: Server | undefined;
  let tlsServer: HttpsServer | undefined;
  let appHandler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  /** Which route a proxied request takes (mounts are checked before); undefined for hub paths and anything unrouted. */
  const routeOf = (path: string) => (external !== undefined || path.startsWith(paths.hub) ? undefined : routes.match(path));
  const mountOf = (path: string) => (mounts.length === 0 ? undefined : mountFor(mounts, path));
  // The same fast front as `bulwark proxy` (src/proxy/fast-front.ts), on a plain-HTTP public listener.
  const front: FastFront | undefined =
    keystore || external !== undefined
      ? undefined
      : createFastFront({
          route: (url) => {
            const path = pathOf(url);
            return mountOf(path) === undefined ? routeOf(path) : undefined;
          },
          forward: (request, client, route) => forwarder.front(request, client, route),
        });
  const app = await buildHubApp(deps, {
    serverFactory: (handler) => {
      appHandler = handler;
      const listener = (req: IncomingMessage, res: ServerResponse) => {
        if (front?.answerHandedOverFailure(req, (error) => forwarder.answerError(req, res, error)) === true) return;
        const path = pathOf(req.url);
        const mount = mountOf(path);
        if (mount) return serveMount(mount, path, req, res);
        const route = routeOf(path);
        if (route) forwarder.web(req, res, route);
        else handler(req, res);
      };
      if (keystore) server = tlsServer = createHttpsServer(keystore.secureContext, listener);
      else server = createServer(listener);
      front?.install(server);
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
  // With internal TLS the API has its own mutual-TLS listener; the plain one then serves mounts only.
  let loopbackApi: Server | undefined;
  let internalApi: Server | undefined;
  try {
    loopbackApi = keystore && appHandler && (!internalTls || mounts.length > 0) ? await listenLoopbackApi(appHandler, internalTls ? null : paths.api, mounts) : undefined;
    internalApi = internalTls && appHandler ? await listenMutualTls(internalTls.hubServer, apiOnly(appHandler, paths.api), config.hub.internal_tls.api_port) : undefined;
  } catch (error) {
    // A listener that cannot open (a port in use) must not leave the public one answering for a hub
    // that failed to start, nor the database open.
    loopbackApi?.close();
    front?.close();
    await app.close();
    await extension.close?.();
    await services.close();
    throw error;
  }
  serverOrigin = loopbackApi ? `http://127.0.0.1:${(loopbackApi.address() as AddressInfo).port}` : `http://${hostForUrl}:${port}`;
  apiUrl = internalApi ? `https://127.0.0.1:${(internalApi.address() as AddressInfo).port}${paths.api}` : `${serverOrigin}${paths.api}`;
  const stopReload = tlsServer ? reloadOnSighup(tlsServer, openTls, logger) : () => {};
  const stopExpiryWatch = watchCertificateExpiry(() => servedTls, config.hub.tls, logger);
  url = `${keystore ? 'https' : 'http'}://${hostForUrl}:${port}`;
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
      stopExpiryWatch();
      loopbackApi?.closeAllConnections();
      loopbackApi?.close();
      internalApi?.closeAllConnections();
      internalApi?.close();
      await servers.shutdown(closeOptions.stopServers ?? config.spawner.cleanup_servers);
      await external?.close();
      // Clients first: their exchanges then drop the backend connections instead of retrying them.
      front?.close();
      forwarder.close();
      await app.close();
      await extension.close?.();
      await services.close();
      markClosed();
    },
  };
  return handle;
}

/** The hub app for API paths, 404 for everything else (listeners meant for single-user servers). */
function apiOnly(handler: (req: IncomingMessage, res: ServerResponse) => void, apiPrefix: string): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (pathOf(req.url).startsWith(apiPrefix)) handler(req, res);
    else res.writeHead(404, { 'content-length': '0' }).end();
  };
}

/**
 * With TLS on, single-user servers reach the hub API (activity, /hub/api/user, the OAuth token
 * exchange) over plain HTTP on a second listener bound to 127.0.0.1 that answers only API paths.
 * Not https to the public listener: its certificate names the public host, not 127.0.0.1, and
 * every single-user server would have to trust its CA. Other unprivileged users cannot read
 * loopback traffic, and every API call needs a token: the trust JupyterHub gives its hub_ip
 * listener behind a TLS-terminating proxy. With hub.internal_tls the API moves to a mutual-TLS
 * listener (internal-api-listener.ts) and this one keeps only the mounts (pip cannot present a client certificate).
 */
async function listenLoopbackApi(handler: (req: IncomingMessage, res: ServerResponse) => void, apiPrefix: string | null, mounts: readonly MountedApp[]): Promise<Server> {
  const api = createServer((req, res) => {
    const path = pathOf(req.url);
    const mount = mountFor(mounts, path);
    if (mount) serveMount(mount, path, req, res);
    else if (apiPrefix !== null && path.startsWith(apiPrefix)) handler(req, res);
    else res.writeHead(404, { 'content-length': '0' }).end();
  });
  await new Promise<void>((resolve, reject) => {
    api.once('error', reject);
    api.listen(0, '127.0.0.1', () => resolve());
  });
  return api;
}
