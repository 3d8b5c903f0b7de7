import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { isBulwarkError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import type { ProxyMetrics } from './proxy-metrics.js';
import { prefixFromRoutePath, routePathFromApiUrl } from './route-api-path.js';
import { routesToJson, routeToJson } from './route-json.js';
import { normalizePrefix, type RouteTable } from './route-table.js';
import { tokenMatches } from './api-token.js';

export interface RouteApiOptions {
  table: RouteTable;
  /** CONFIGPROXY_AUTH_TOKEN; undefined leaves the API open, as CHP does (with a warning at start-up). */
  authToken: string | undefined;
  /** CHP's --host-routing: the first segment of a route path is a host name. */
  hostRouting: boolean;
  logger: Logger;
  metrics: ProxyMetrics;
  /** Called after every change to the table (route persistence listens here). */
  onChange?: () => void;
}

/** A route API body larger than this is refused; a route is a target and a few data fields. */
const maxBodyBytes = 1024 * 1024;

function send(res: ServerResponse, status: number, body?: string, json = false): void {
  if (res.writableEnded) return;
  const headers: Record<string, string | number> = {};
  if (json) headers['content-type'] = 'application/json';
  if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
  res.writeHead(status, headers);
  res.end(body);
}

/** CHP's failure answer: the status and a plain message (or the reason phrase). */
function fail(res: ServerResponse, status: number, message?: string): void {
  send(res, status, message ?? STATUS_CODES[status] ?? '');
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(undefined));
  });
}

function parseInactiveSince(url: string): Date | undefined | 'invalid' {
  const query = url.indexOf('?');
  if (query === -1) return undefined;
  const params = new URLSearchParams(url.slice(query + 1));
  const value = params.get('inactiveSince') ?? params.get('inactive_since');
  if (value === null || value === '') return undefined;
  const time = Date.parse(value);
  return Number.isFinite(time) ? new Date(time) : 'invalid';
}

/**
 * The route API of configurable-http-proxy (GET/POST/DELETE /api/routes[/path]), with CHP's status
 * codes and bodies, so the Python JupyterHub and Bulwark's hub drive it the same way. Like CHP, a
 * POST body is parsed before the token is checked.
 */
export function createRouteApiHandler(options: RouteApiOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { table, logger, metrics } = options;
  const authorized = (req: IncomingMessage): boolean => tokenMatches(req.headers.authorization, options.authToken);

  function get(req: IncomingMessage, res: ServerResponse, path: string): void {
    metrics.routeGet();
    if (path !== '/') {
      const prefix = normalizePrefix(prefixFromRoutePath(path, options.hostRouting));
      const route = table.list().find((r) => r.prefix === prefix);
      if (route === undefined) send(res, 404);
      else send(res, 200, JSON.stringify(routeToJson(route)), true);
      return;
    }
    const inactiveSince = parseInactiveSince(req.url ?? '');
    if (inactiveSince === 'invalid') {
      const raw = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
      fail(res, 400, `Invalid datestamp '${raw.get('inactiveSince') ?? raw.get('inactive_since') ?? ''}' must be ISO8601.`);
      return;
    }
    send(res, 200, JSON.stringify(routesToJson(table.list(), inactiveSince)), true);
  }

  function post(res: ServerResponse, path: string, data: Record<string, unknown>): void {
    const { target, ...rest } = data;
    if (typeof target !== 'string') {
      logger.warn({ data }, 'route API: POST without a target');
      fail(res, 400, "Must specify 'target' as string");
      return;
    }
    if (options.hostRouting && path !== '/') rest['host'] = path.split('/')[1] ?? '';
    try {
      table.add(prefixFromRoutePath(path, options.hostRouting), target, rest);
    } catch (error) {
      if (!isBulwarkError(error)) throw error;
      fail(res, 400, error.message);
      return;
    }
    logger.info({ path, target }, `route added ${path} -> ${target}`);
    metrics.routeAdd();
    options.onChange?.();
    send(res, 201);
  }

  function remove(res: ServerResponse, path: string): void {
    const prefix = normalizePrefix(prefixFromRoutePath(path, options.hostRouting));
    metrics.routeDelete();
    if (!table.list().some((r) => r.prefix === prefix)) {
      send(res, 404);
      return;
    }
    table.remove(prefix);
    logger.info({ path }, `route removed ${path}`);
    options.onChange?.();
    send(res, 204);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = routePathFromApiUrl(req.url ?? '/');
    if (path === undefined) return fail(res, 404);
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'POST' && method !== 'DELETE') return fail(res, 405, 'Method not supported');
    if (method === 'POST') {
      const body = await readBody(req);
      if (body === undefined) return fail(res, 413);
      let data: unknown;
      try {
        data = JSON.parse(body);
      } catch (error) {
        return fail(res, 400, `Body not valid JSON: ${String(error)}`);
      }
      if (!authorized(req)) return send(res, 403);
      const object = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
      return post(res, path, object);
    }
    req.resume();
    if (!authorized(req)) return send(res, 403);
    if (method === 'GET') get(req, res, path);
    else remove(res, path);
  }

  return (req, res) => {
    res.once('finish', () => metrics.api(res.statusCode));
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error, method: req.method }, 'route API request failed');
      fail(res, 500);
    });
  };
}
