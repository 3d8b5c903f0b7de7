import { BulwarkError } from '../errors/index.js';
import type { ChpRouteJson } from './route-json.js';

/** A typed client of configurable-http-proxy's REST API; works against `bulwark proxy` and the real CHP. */
export interface ChpApiClient {
  /** All routes, keyed by CHP path (`/user/alice`). */
  list(): Promise<Record<string, ChpRouteJson>>;
  /** Adds or replaces a route; `data` is stored with it and returned by list(). */
  add(path: string, target: string, data: Record<string, unknown>): Promise<void>;
  /** Deletes a route; a route that is already gone is not an error. */
  remove(path: string): Promise<void>;
}

export interface ChpApiClientOptions {
  /** Base URL of the API listener, e.g. `http://127.0.0.1:8001`. */
  apiUrl: string;
  /** CONFIGPROXY_AUTH_TOKEN; sent as `Authorization: token ...`. */
  authToken: string | undefined;
  /** Per request (default 10 s, as JupyterHub). */
  timeoutMs?: number;
  /** Replaces global fetch (tests). */
  fetch?: typeof fetch;
}

/**
 * The API path of a route prefix, quoted the way JupyterHub quotes it (`@`, `/` and `~` stay as
 * they are). CHP decodes it again, so `/user/a b` and `/user/a%20b` name the same route.
 */
export function routeApiUrlPath(prefix: string): string {
  const path = prefix.startsWith('/') ? prefix : `/${prefix}`;
  const quoted = path
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%40/g, '@').replace(/%7E/gi, '~'))
    .join('/');
  return `/api/routes${quoted === '/' ? '' : quoted}`;
}

export function createChpApiClient(options: ChpApiClientOptions): ChpApiClient {
  const base = options.apiUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function call(method: string, path: string, body?: string): Promise<Response> {
    const headers: Record<string, string> = {};
    if (options.authToken !== undefined) headers['authorization'] = `token ${options.authToken}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      throw new BulwarkError('PROXY_API_REQUEST_FAILED', { method, path, reason: (cause as Error).message ?? String(cause) }, { cause: error });
    }
    if (response.status === 403) {
      await response.body?.cancel();
      throw new BulwarkError('PROXY_API_UNAUTHORIZED', { url: base });
    }
    return response;
  }

  async function expect(response: Response, method: string, path: string, ok: readonly number[]): Promise<void> {
    if (ok.includes(response.status)) return;
    const text = await response.text().catch(() => '');
    throw new BulwarkError('PROXY_API_REQUEST_FAILED', { method, path, reason: `HTTP ${response.status} ${text}`.trim() });
  }

  return {
    async list() {
      const response = await call('GET', '/api/routes');
      if (response.status !== 200) await expect(response, 'GET', '/api/routes', [200]);
      return (await response.json()) as Record<string, ChpRouteJson>;
    },
    async add(path, target, data) {
      const url = routeApiUrlPath(path);
      const response = await call('POST', url, JSON.stringify({ ...data, target }));
      await response.body?.cancel();
      await expect(response, 'POST', url, [200, 201]);
    },
    async remove(path) {
      const url = routeApiUrlPath(path);
      const response = await call('DELETE', url);
      await response.body?.cancel();
      await expect(response, 'DELETE', url, [200, 204, 404]);
    },
  };
}
