import { unlinkSync, writeFileSync } from 'node:fs';
import http, { type IncomingMessage, type RequestListener, type Server } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { SecureContextOptions } from 'node:tls';
import { certificateMetricLines, openKeystore, reloadOnSighup, watchCertificateExpiry, type LoadedKeystore, type TlsSettings } from '../keystore/index.js';
import type { Logger } from '../log/index.js';
import { createErrorPages } from '../proxy/error-pages.js';
import { createForwarder, type ForwarderOptions } from '../proxy/forwarder.js';
import { createProxyMetrics } from '../proxy/proxy-metrics.js';
import { createFastFront, type FastFront } from '../proxy/fast-front.js';
import { createPublicHandlers, createRouteFinder, healthCheckPath } from '../proxy/public-handler.js';
import { createRouteApiHandler } from '../proxy/route-api.js';
import { createRouteFile, loadRouteFile } from '../proxy/route-file.js';
import { createRouteTable, type RouteTable } from '../proxy/route-table.js';
import { hstsHeader } from '../web/index.js';

/** Where one listener binds: an address and port, or a Unix socket path. */
export type ListenTarget = { host: string | undefined; port: number } | { socket: string };

/** TLS of a listener: certificate material plus client-certificate settings. */
export type ServerTls = SecureContextOptions & { requestCert?: boolean; rejectUnauthorized?: boolean };

/** Everything `bulwark proxy` can be told, in configurable-http-proxy's terms. */
export interface ProxyServerOptions {
  listen: ListenTarget;
  api: ListenTarget;
  /** Metrics listener; none when undefined (CHP's default). */
  metrics?: ListenTarget;
  /** CONFIGPROXY_AUTH_TOKEN. */
  authToken?: string;
  defaultTarget?: string;
  errorTarget?: string;
  errorPath?: string;
  hostRouting?: boolean;
  ssl?: ServerTls;
  /**
   * Keystore URI (pkcs11:, keyctl:, pkcs12:, pem:) for the public listener's certificate and key,
   * instead of key and cert in `ssl` (whose client-certificate settings still apply).
   */
  keystore?: string;
  /** TLS floor, PKCS#11 engine and module, expiry warning and HSTS of the public listener (hub.tls). */
  tlsSettings?: TlsSettings;
  apiSsl?: ServerTls;
  /** Plain-HTTP listener answering 301 to https (CHP's --redirect-port, --redirect-to). */
  redirect?: { port: number; to?: number };
  /** Idle time allowed on a client connection (CHP's --timeout); 0 = none. */
  clientTimeoutMs?: number;
  /** Keep-alive timeout of the public listener (CHP's --keep-alive-timeout, default 5000). */
  keepAliveTimeoutMs?: number;
  /** JSON file holding the route table across restarts (Bulwark's addition). */
  routesFile?: string;
  pidFile?: string;
  /** Forwarding settings shared with the hub's embedded proxy. */
  forwarding?: Omit<ForwarderOptions, 'logger' | 'errorResponse'>;
}

export interface ProxyServerHandle {
  /** Base URLs with the real ports (`http://127.0.0.1:41234`); a Unix socket shows as `unix:<path>`. */
  publicUrl: string;
  apiUrl: string;
  metricsUrl: string | undefined;
  table: RouteTable;
  close(): Promise<void>;
}

async function listenOn(server: Server, target: ListenTarget): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const done = (): void => {
      server.off('error', reject);
      resolve();
    };
    if ('socket' in target) server.listen(target.socket, done);
    // '' and '*' mean every interface, as in CHP.
    else if (target.host === undefined || target.host === '' || target.host === '*') server.listen(target.port, done);
    else server.listen(target.port, target.host, done);
  });
  if ('socket' in target) return `unix:${target.socket}`;
  const address = server.address() as AddressInfo;
  const host = address.address === '::' || address.address === '0.0.0.0' ? '127.0.0.1' : address.address;
  return `${server instanceof https.Server ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

function createListener(tls: ServerTls | undefined, options: http.ServerOptions, handler: RequestListener): Server {
  return tls === undefined ? http.createServer(options, handler) : https.createServer({ ...options, ...tls }, handler);
}

function requireTlsSettings(options: ProxyServerOptions): TlsSettings {
  if (options.tlsSettings === undefined) throw new Error('startProxyServer: a keystore needs tlsSettings');
  return options.tlsSettings;
}

async function closeListener(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

/**
 * The composition root of `bulwark proxy`: a route table (loaded from the route file when there is
 * one), the forwarder the hub's embedded proxy also uses, and up to four listeners: public, route
 * API, metrics and the https redirect.
 */
export async function startProxyServer(options: ProxyServerOptions, deps: { logger: Logger }): Promise<ProxyServerHandle> {
  const { logger } = deps;
  // Proven (test handshake) before anything else is set up or listens.
  let servedTls: LoadedKeystore | null = null;
  const openTls = async () => (servedTls = await openKeystore(options.keystore ?? '', requireTlsSettings(options), logger));
  const keystore = options.keystore === undefined ? null : await openTls();
  const hostRouting = options.hostRouting === true;
  const table = createRouteTable();
  const metrics = createProxyMetrics();
  if (options.routesFile !== undefined) {
    const count = loadRouteFile(options.routesFile, table, logger);
    logger.info({ path: options.routesFile, routes: count }, 'routes loaded from the route file');
  }
  if (options.defaultTarget !== undefined) table.add('/', options.defaultTarget, {});
  const routeFile = options.routesFile === undefined ? undefined : createRouteFile(options.routesFile, table, logger);

  const errorPage = createErrorPages({ errorTarget: options.errorTarget, errorPath: options.errorPath, logger });
  const forwarder = createForwarder({
    ...options.forwarding,
    logger,
    errorResponse: (req, res, error) => {
      metrics.proxyError(error.status);
      errorPage(req, res, error);
    },
  });
  const handlers = createPublicHandlers({ table, forwarder, hostRouting, errorPage, metrics });

  const publicTls: ServerTls | undefined = keystore ? { ...options.ssl, ...keystore.secureContext } : options.ssl;
  // The fast front serves plain HTTP only, and not with CHP's --timeout (Node's per-request socket timeout).
  const front: FastFront | undefined = publicTls === undefined && !(options.clientTimeoutMs !== undefined && options.clientTimeoutMs > 0) ? fastFront() : undefined;
  function fastFront(): FastFront {
    const findRoute = createRouteFinder(table, hostRouting);
    return createFastFront({
      route: (url, host) => (url === healthCheckPath ? undefined : findRoute(url, host)),
      forward: (request, client, route) => forwarder.front(request, client, route),
      onForward: () => metrics.web(),
    });
  }
  // A target's own Strict-Transport-Security (set later with writeHead) replaces this one.
  const hsts = hstsHeader(publicTls !== undefined, options.tlsSettings);
  const onRequest: RequestListener =
    hsts === null
      ? front === undefined
        ? handlers.request
        : (req, res) => {
            if (!front.answerHandedOverFailure(req, (error) => forwarder.answerError(req, res, error))) handlers.request(req, res);
          }
      : (req, res) => {
          res.setHeader('Strict-Transport-Security', hsts);
          handlers.request(req, res);
        };
  const publicServer = createListener(publicTls, { keepAliveTimeout: options.keepAliveTimeoutMs ?? 5000 }, onRequest);
  front?.install(publicServer);
  publicServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => handlers.upgrade(req, socket, head));
  if (options.clientTimeoutMs !== undefined && options.clientTimeoutMs > 0) publicServer.timeout = options.clientTimeoutMs;
  // A client that sends garbage gets a 400 from Node; the socket error must not be uncaught.
  publicServer.on('clientError', (_err, socket: Duplex) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  if (options.authToken === undefined || options.authToken === '') {
    logger.warn({}, 'REST API is not authenticated: set CONFIGPROXY_AUTH_TOKEN');
  }
  const apiServer = createListener(
    options.apiSsl,
    {},
    createRouteApiHandler({ table, authToken: options.authToken, hostRouting, logger, metrics, onChange: () => routeFile?.changed() }),
  );
  const metricsServer =
    options.metrics === undefined
      ? undefined
      : http.createServer((req, res) => {
          if (req.url !== '/metrics') {
            res.writeHead(404).end('Not Found');
            return;
          }
          const certificate = certificateMetricLines('proxy', servedTls?.chain[0] ?? null, new Date());
          const body = metrics.render({ routes_total: table.list().length }) + certificate.map((line) => `${line}\n`).join('');
          res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(body);
        });
  const redirectServer =
    options.redirect === undefined
      ? undefined
      : http.createServer((req, res) => {
          const host = (req.headers.host ?? 'localhost').replace(/:\d+$/, '');
          const port = options.redirect?.to === undefined || options.redirect.to === 443 ? '' : `:${options.redirect.to}`;
          res.writeHead(301, { location: `https://${host}${port}${req.url ?? '/'}` }).end();
        });

  const servers = [publicServer, apiServer, metricsServer, redirectServer].filter((s): s is Server => s !== undefined);
  try {
    const publicUrl = await listenOn(publicServer, options.listen);
    const apiUrl = await listenOn(apiServer, options.api);
    const metricsUrl = metricsServer === undefined || options.metrics === undefined ? undefined : await listenOn(metricsServer, options.metrics);
    if (redirectServer !== undefined && options.redirect !== undefined) await listenOn(redirectServer, { host: undefined, port: options.redirect.port });
    if (options.pidFile !== undefined) writeFileSync(options.pidFile, `${process.pid}\n`);
    logger.info({ publicUrl, apiUrl, metricsUrl: metricsUrl ?? null }, `proxying ${publicUrl} (route API ${apiUrl})`);
    const tlsServer = publicServer instanceof https.Server ? publicServer : undefined;
    const stopExpiryWatch = keystore ? watchCertificateExpiry(() => servedTls, requireTlsSettings(options), logger) : () => {};
    const stopReload = keystore && tlsServer ? reloadOnSighup({ setSecureContext: (context) => tlsServer.setSecureContext({ ...options.ssl, ...context }) }, openTls, logger) : () => {};
    let closed = false;
    return {
      publicUrl,
      apiUrl,
      metricsUrl,
      table,
      async close() {
        if (closed) return;
        closed = true;
        stopReload();
        stopExpiryWatch();
        // Clients first: their exchanges then drop the backend connections instead of retrying them.
        front?.close();
        forwarder.close();
        await Promise.all(servers.map(closeListener));
        await routeFile?.flush();
        if (options.pidFile !== undefined) {
          try {
            unlinkSync(options.pidFile);
          } catch {
            // Already gone.
          }
        }
      },
    };
  } catch (error) {
    front?.close();
    forwarder.close();
    await Promise.all(servers.map(closeListener));
    throw error;
  }
}
