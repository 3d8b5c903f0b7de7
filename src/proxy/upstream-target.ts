import type { RequestOptions } from 'node:http';
import { isIP } from 'node:net';
import type { Route } from './route-table.js';

export interface UpstreamTarget {
  url: URL;
  /** Bare host name or address (no IPv6 brackets) and port to connect to. */
  hostname: string;
  port: number;
  /** `host:port`, the key of the backend's connection pool. */
  poolKey: string;
  /** The backend path for a request path (route prefix and target path applied). */
  path(requestUrl: string | undefined): string;
  /** Host, port and path for http.request / https.request. */
  requestOptions(requestUrl: string | undefined): Pick<RequestOptions, 'protocol' | 'hostname' | 'port' | 'path'> & {
    servername?: string;
  };
}

/** How the request path becomes the backend's path (CHP's --no-include-prefix and --no-prepend-path). */
export interface UpstreamPathOptions {
  /** Keep the matched route prefix in the forwarded path (default true). */
  includePrefix?: boolean;
  /** Put the target URL's own path in front (default true). */
  prependPath?: boolean;
}

/** The request path with the route's path prefix cut off, for --no-include-prefix; always starts with `/`. */
function withoutPrefix(requestUrl: string, route: Route): string {
  const slash = route.prefix.indexOf('/');
  // A host route's prefix is `host/path`; only its path part appears in the request path.
  const prefix = slash === -1 ? '' : route.prefix.slice(slash);
  if (prefix === '/' || prefix === '' || !requestUrl.startsWith(prefix)) return requestUrl;
  const rest = requestUrl.slice(prefix.length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/**
 * Where a route sends requests. The request path is kept as the client sent it; a target with a
 * path of its own (`http://h:1/base`) gets that path in front, as configurable-http-proxy does.
 */
export function upstreamTarget(route: Route, options: UpstreamPathOptions = {}): UpstreamTarget {
  const url = new URL(route.target);
  const base = options.prependPath === false || url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '');
  const includePrefix = options.includePrefix !== false;
  // URL keeps the brackets of an IPv6 literal; http.request wants the bare address.
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const pathOf = (requestUrl: string | undefined): string => {
    const requested = requestUrl ?? '/';
    return `${base}${includePrefix ? requested : withoutPrefix(requested, route)}`;
  };
  return {
    url,
    hostname,
    port,
    poolKey: `${hostname}:${port}`,
    path: pathOf,
    requestOptions(requestUrl) {
      const path = pathOf(requestUrl);
      if (url.protocol !== 'https:') return { protocol: url.protocol, hostname, port, path };
      // Node would take the TLS server name from the Host header, which we keep as the client sent
      // it; the certificate to check is the backend's. '' means "no SNI", required for IP addresses.
      return { protocol: url.protocol, hostname, port, path, servername: isIP(hostname) === 0 ? hostname : '' };
    },
  };
}

/** Caches the parsed target per route object; a re-added route is a new object with its own entry. */
export function createTargetCache(options: UpstreamPathOptions = {}): (route: Route) => UpstreamTarget {
  const cache = new WeakMap<Route, { target: string; parsed: UpstreamTarget }>();
  return (route) => {
    const hit = cache.get(route);
    if (hit !== undefined && hit.target === route.target) return hit.parsed;
    const parsed = upstreamTarget(route, options);
    cache.set(route, { target: route.target, parsed });
    return parsed;
  };
}
