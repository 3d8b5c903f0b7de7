import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { BulwarkError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import { createActivityRecorder } from './activity-recorder.js';
import type { ForwardContext } from './forward-context.js';
import { writeProxyError } from './proxy-error-response.js';
import type { RedirectRewriteOptions } from './redirect-rewrite.js';
import type { Route } from './route-table.js';
import { forwardUpgrade } from './upgrade-forwarder.js';
import { createUpstreamPool } from './upstream-pool.js';
import { createTargetCache, type UpstreamPathOptions, type UpstreamTarget } from './upstream-target.js';
import { forwardFront, forwardWeb } from './web-forwarder.js';
import type { ExchangeClient } from './exchange-client.js';
import type { FrontRequest } from './raw-request-head.js';
import type { RunningExchange } from './raw-web-exchange.js';

export interface Forwarder {
  /** Forward an HTTP request to route.target, path unchanged, streaming both ways, keep-alive agent to the backend. */
  web(req: IncomingMessage, res: ServerResponse, route: Route): void;
  /** Forward a WebSocket upgrade (raw socket piping after the upstream answers 101; non-101 answers are relayed back). */
  ws(req: IncomingMessage, socket: Duplex, head: Buffer, route: Route): void;
  /** The fast front's path (fast-front.ts); undefined when the route's backend is not plain HTTP. */
  front(request: FrontRequest, client: ExchangeClient, route: Route): RunningExchange | undefined;
  /** Answers a request that could not be forwarded, as the forwarder itself would (the caller's errorResponse). */
  answerError(req: IncomingMessage, res: ServerResponse, error: BulwarkError): void;
  /** Destroys the agents and every open backend request, socket and tunnel. */
  close(): void;
}

/** TLS settings for https targets (JupyterHub's internal_ssl: backends with certificates from an internal CA). */
export type UpstreamTlsOptions = Pick<https.AgentOptions, 'ca' | 'cert' | 'key' | 'rejectUnauthorized'>;

export interface ForwarderOptions {
  logger: Logger;
  /**
   * How long the backend may stay silent, waiting for its answer or between chunks of it, before the
   * request fails with 503 (ETIMEDOUT). 0 disables it. Default 300 s, like Node's own request timeout:
   * long enough for slow notebook operations (kernel start, exports). Open WebSockets have no limit.
   */
  timeoutMs?: number;
  /** Called when a route sees traffic, at most once per `activityIntervalMs` per route. */
  onActivity?: (route: Route) => void;
  /** Default 1000 ms. */
  activityIntervalMs?: number;
  /** Replaces the default JSON/HTML error answer for requests that could not be forwarded. */
  errorResponse?: (req: IncomingMessage, res: ServerResponse, err: BulwarkError) => void;
  /** Cookie names removed from every forwarded request (the hub's own login cookie, for example). */
  removeCookies?: readonly string[];
  upstreamTls?: UpstreamTlsOptions;
  /** Append X-Forwarded-For/-Proto/-Host/-Port to forwarded requests (default true). */
  xForwarded?: boolean;
  /** Headers set on every forwarded request (CHP's --custom-header). */
  customHeaders?: Readonly<Record<string, string>>;
  /** Send the target's host as Host instead of the client's (CHP's --change-origin). */
  changeOrigin?: boolean;
  /** Path handling: keep the route prefix and the target's own path (both default true). */
  paths?: UpstreamPathOptions;
  /** Rewrite Location of redirects that point at the backend (CHP's --auto-rewrite, --protocol-rewrite). */
  redirects?: RedirectRewriteOptions;
  /** Clock for activity timestamps; tests pass their own. */
  now?: () => number;
}

/**
 * A caller's error handler runs inside a socket event; if it threw, the exception would be uncaught
 * and take the process down, so a failure is logged and the client connection cut instead.
 */
function guardErrorResponse(handler: NonNullable<ForwarderOptions['errorResponse']>, logger: Logger): ForwardContext['errorResponse'] {
  return (req, res, err) => {
    try {
      handler(req, res, err);
    } catch (failure) {
      logger.error({ err: failure }, 'proxy errorResponse handler failed');
      res.destroy();
    }
  };
}

/**
 * Custom headers are checked once here: the fast path writes request heads itself, so a value with a
 * line break must never reach it (http.request would have refused it on every request).
 */
function customHeaderList(headers: Readonly<Record<string, string>> | undefined): ForwardContext['customHeaders'] {
  if (headers === undefined) return undefined;
  // Keyed by lower-case name: `X-A` and `x-a` are one header, the later value wins as before.
  const byName = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    try {
      http.validateHeaderName(name);
      http.validateHeaderValue(name, value);
    } catch (err) {
      throw new BulwarkError('PROXY_BAD_OPTION', { option: '--custom-header', reason: err instanceof Error ? err.message : String(err) });
    }
    byName.set(name.toLowerCase(), value);
  }
  return byName.size === 0 ? undefined : [...byName];
}

/** Idle keep-alive sockets to a backend are closed after this long, before the backend closes them. */
const freeSocketTimeoutMs = 15_000;
/** Enough free connections per backend for a busy notebook server's bursts of requests. */
const maxFreePerBackend = 256;

export function createForwarder(options: ForwarderOptions): Forwarder {
  const keepAlive = { keepAlive: true, timeout: freeSocketTimeoutMs, scheduling: 'lifo' as const };
  const agents = {
    http: new http.Agent(keepAlive),
    https: new https.Agent({ ...keepAlive, ...options.upstreamTls }),
    httpUpgrade: new http.Agent({ keepAlive: false }),
    httpsUpgrade: new https.Agent({ keepAlive: false, ...options.upstreamTls }),
  };
  const isHttps = (target: UpstreamTarget): boolean => target.url.protocol === 'https:';
  const timeoutMs = options.timeoutMs ?? 300_000;
  const customHeaders = customHeaderList(options.customHeaders);
  const ctx: ForwardContext = {
    logger: options.logger,
    timeoutMs,
    activity: createActivityRecorder({
      onActivity: options.onActivity,
      intervalMs: options.activityIntervalMs,
      now: options.now,
    }),
    removeCookies: new Set(options.removeCookies ?? []),
    xForwarded: options.xForwarded !== false,
    customHeaders,
    customHeaderNames: customHeaders === undefined ? undefined : new Set(customHeaders.map(([name]) => name)),
    changeOrigin: options.changeOrigin === true,
    redirects: options.redirects?.autoRewrite === true || options.redirects?.protocol !== undefined ? options.redirects : undefined,
    target: createTargetCache(options.paths),
    pool: createUpstreamPool({ timeoutMs, freeSocketTimeoutMs, maxFreePerBackend }),
    agent: (target) => (isHttps(target) ? agents.https : agents.http),
    upgradeAgent: (target) => (isHttps(target) ? agents.httpsUpgrade : agents.httpUpgrade),
    errorResponse: guardErrorResponse(options.errorResponse ?? writeProxyError, options.logger),
    live: new Set(),
  };
  return {
    web: (req, res, route) => forwardWeb(ctx, req, res, route),
    ws: (req, socket, head, route) => forwardUpgrade(ctx, req, socket, head, route),
    front: (request, client, route) => forwardFront(ctx, request, client, route),
    answerError: (req, res, error) => ctx.errorResponse(req, res, error),
    close() {
      for (const item of [...ctx.live]) item.destroy();
      ctx.live.clear();
      for (const agent of Object.values(agents)) agent.destroy();
      ctx.pool.close();
    },
  };
}
