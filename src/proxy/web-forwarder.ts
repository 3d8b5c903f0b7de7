import http, { type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { loggablePath, trackUntilClosed, type ForwardContext } from './forward-context.js';
import { stripHopByHopHeaders } from './hop-by-hop-headers.js';
import type { ExchangeClient } from './exchange-client.js';
import { forwardRaw, startRawExchange, type RunningExchange } from './raw-web-exchange.js';
import { rawRequestHead, type FrontRequest } from './raw-request-head.js';
import { rewriteLocation } from './redirect-rewrite.js';
import type { Route } from './route-table.js';
import { buildUpstreamHeaders } from './upstream-request-headers.js';
import { headerOptions } from './upstream-header-options.js';
import { errorCode, isUnreachableError, timeoutError, toProxyError } from './upstream-error.js';

const retryableMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A request that carries no body can be sent again without the client's help. */
function canRetry(req: IncomingMessage): boolean {
  if (!retryableMethods.has(req.method ?? '')) return false;
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
}

/** Characters http.request would refuse in a path; such a request takes the general path and its error. */
const unsafePath = /[^\u0021-\u00ff]/;

/**
 * Forwards one HTTP request to the route's backend and streams the answer back. Bodies are piped in
 * both directions, so backpressure holds and nothing is buffered whole. A client that goes away
 * cancels the backend request; a backend that fails before answering gets the caller's error page.
 */
export function forwardWeb(ctx: ForwardContext, req: IncomingMessage, res: ServerResponse, route: Route): void {
  ctx.activity.record(route);
  const target = ctx.target(route);
  const bodyless = canRetry(req);
  if (bodyless && target.url.protocol === 'http:' && !unsafePath.test(req.url ?? '/')) {
    req.resume();
    forwardRaw(ctx, req, res, route, target, rawRequestHead(ctx, req, target, target.path(req.url)));
    return;
  }
  const headers = buildUpstreamHeaders(req, headerOptions(ctx, target, false));
  const send = target.url.protocol === 'https:' ? https.request : http.request;
  let clientGone = false;
  let current: ClientRequest | undefined;

  // Errors from the client side only mean it went away; the listener keeps them from being uncaught.
  req.on('error', () => {
    clientGone = true;
    current?.destroy();
  });
  res.on('error', () => {
    clientGone = true;
  });
  res.on('close', () => {
    if (res.writableFinished) return;
    clientGone = true;
    current?.destroy();
  });

  const attempt = (mayRetry: boolean): void => {
    const upstream = send({
      ...target.requestOptions(req.url),
      method: req.method,
      headers,
      agent: ctx.agent(target),
    });
    current = upstream;
    trackUntilClosed(ctx.live, upstream);
    let answered = false;
    if (ctx.timeoutMs > 0) {
      upstream.setTimeout(ctx.timeoutMs, () => upstream.destroy(timeoutError(ctx.timeoutMs)));
    }

    upstream.on('response', (upstreamRes) => {
      answered = true;
      upstreamRes.on('error', () => res.destroy());
      upstreamRes.on('close', () => {
        // The backend dropped the connection mid-body: the client must not take a cut-off body
        // for a complete one, so its connection is cut too.
        if (!upstreamRes.complete) res.destroy();
      });
      if (clientGone) {
        upstream.destroy();
        return;
      }
      const status = upstreamRes.statusCode ?? 502;
      const responseHeaders = stripHopByHopHeaders(upstreamRes.headers);
      const location = upstreamRes.headers.location;
      if (ctx.redirects !== undefined && location !== undefined) {
        responseHeaders.location = rewriteLocation(status, location, target.url, req.headers.host, ctx.redirects);
      }
      res.writeHead(status, upstreamRes.statusMessage, responseHeaders);
      upstreamRes.pipe(res);
    });

    upstream.on('error', (err) => {
      if (clientGone) {
        ctx.logger.debug({ prefix: route.prefix, code: errorCode(err) }, 'client went away; backend request cancelled');
        return;
      }
      // A kept-alive socket the backend closed just as we reused it: safe to send again once.
      if (!answered && mayRetry && upstream.reusedSocket && errorCode(err) === 'ECONNRESET') {
        attempt(false);
        return;
      }
      const error = toProxyError(err, route);
      const fields = { prefix: route.prefix, target: route.target, method: req.method, path: loggablePath(req) };
      if (isUnreachableError(err)) {
        ctx.logger.warn({ ...fields, code: errorCode(err) }, `proxy error: ${errorCode(err) ?? 'error'} ${req.method ?? ''} ${fields.path} -> ${route.target}`);
      } else {
        ctx.logger.error({ ...fields, err }, 'proxy error: unexpected failure talking to backend');
      }
      if (answered || res.headersSent) {
        res.destroy();
        return;
      }
      req.unpipe(upstream);
      ctx.errorResponse(req, res, error);
    });

    if (bodyless) upstream.end();
    else req.pipe(upstream);
  };

  // Without a body the request stream is drained at once, so the client connection can be reused.
  if (bodyless) req.resume();
  attempt(bodyless);
}

/**
 * The fast front's entry (fast-front.ts): a body-less request it parsed itself, answered through
 * `client`. Undefined when the route's backend is not plain HTTP; the front then hands the request
 * to Node's server and forwardWeb.
 */
export function forwardFront(ctx: ForwardContext, request: FrontRequest, client: ExchangeClient, route: Route): RunningExchange | undefined {
  const target = ctx.target(route);
  if (target.url.protocol !== 'http:') return undefined;
  ctx.activity.record(route);
  return startRawExchange(ctx, client, route, target, rawRequestHead(ctx, request, target, target.path(request.url)));
}
