import { BulwarkError } from '../errors/index.js';
import { normalizeHost, pathSegments } from './path-segments.js';

/** One entry of the proxy's route table, in configurable-http-proxy's terms. */
export interface Route {
  /** Normalised prefix: `/user/alice` (never a trailing slash, `/` for the default route), or `host.example/...` for a host route. */
  prefix: string;
  /** Origin of the backend, e.g. `http://127.0.0.1:36755`; the request path is forwarded unchanged. */
  target: string;
  /** Whatever the caller attached (the hub stores `user`, `server_name`); returned as given. */
  data: Record<string, unknown>;
  /** Last time traffic went through this route (or the time it was added). */
  lastActivity: Date;
}

export interface RouteTable {
  /** Adds or replaces the route for `prefix`. Throws PROXY_INVALID_ROUTE on a bad prefix or target. */
  add(prefix: string, target: string, data?: Record<string, unknown>): void;
  remove(prefix: string): void;
  /**
   * The route with the longest prefix covering `path`, compared segment by segment, so `/user/al` never
   * matches `/user/alice/x`. With `host`, host routes (`host.example/...`) are tried before path routes.
   */
  match(path: string, host?: string): Route | undefined;
  /** Copies of all routes; changing them does not change the table. */
  list(): Route[];
  touch(prefix: string, when: Date): void;
}

export interface RouteTableOptions {
  /** Clock for `lastActivity` on add; tests pass a fixed one. */
  now?: () => Date;
}

/**
 * Normalises a prefix the way configurable-http-proxy stores it: one leading slash, no empty segments,
 * no trailing slash. A prefix that does not start with `/` names a host route (`host.example/path`).
 */
export function normalizePrefix(prefix: string): string {
  if (prefix.startsWith('/') || prefix === '') {
    const segments = prefix.split('/').filter((s) => s !== '');
    return `/${segments.join('/')}`;
  }
  const slash = prefix.indexOf('/');
  const host = normalizeHost(slash === -1 ? prefix : prefix.slice(0, slash));
  const rest = slash === -1 ? '' : prefix.slice(slash);
  const segments = rest.split('/').filter((s) => s !== '');
  return segments.length === 0 ? host : `${host}/${segments.join('/')}`;
}

function checkTarget(prefix: string, target: string): void {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new BulwarkError('PROXY_INVALID_ROUTE', { prefix, reason: `target ${target} is not a URL` });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BulwarkError('PROXY_INVALID_ROUTE', { prefix, reason: 'target must be an http or https URL' });
  }
}

function copyRoute(route: Route): Route {
  return { ...route, data: { ...route.data }, lastActivity: new Date(route.lastActivity) };
}

export function createRouteTable(options: RouteTableOptions = {}): RouteTable {
  const now = options.now ?? (() => new Date());
  // Keyed by normalised prefix. Matching looks up each shorter prefix of the request path in turn,
  // which costs one lookup per path segment, the same as walking a trie, with less code.
  const routes = new Map<string, Route>();
  let hostRoutes = 0;

  /** `/a/b/c` for a request path: no query, no empty or dot segments (see pathSegments). */
  function normalizedPath(path: string): string {
    // Fast path for the common, already clean path: no query, no `//`, no dot segment, no trailing slash.
    if (!/[?#]|\/\/|\/\.|%2e/i.test(path) && path.startsWith('/')) {
      return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    }
    return `/${pathSegments(path).join('/')}`;
  }

  /** Longest prefix of `base + path` that is a route, trying each shorter whole-segment prefix in turn. */
  function longest(key: string, floor: number): Route | undefined {
    for (;;) {
      const route = routes.get(key);
      if (route !== undefined) return route;
      const slash = key.lastIndexOf('/');
      if (slash < floor) return undefined;
      key = slash === floor && floor === 0 ? '/' : key.slice(0, slash);
      if (key === '/') return routes.get(key);
    }
  }

  return {
    add(prefix, target, data = {}) {
      checkTarget(prefix, target);
      const key = normalizePrefix(prefix);
      if (!routes.has(key) && !key.startsWith('/')) hostRoutes++;
      routes.set(key, { prefix: key, target, data: { ...data }, lastActivity: now() });
    },
    remove(prefix) {
      const key = normalizePrefix(prefix);
      if (routes.delete(key) && !key.startsWith('/')) hostRoutes--;
    },
    match(path, host) {
      const clean = normalizedPath(path);
      if (host !== undefined && hostRoutes > 0) {
        const h = normalizeHost(host);
        const hit = clean === '/' ? routes.get(h) : (longest(`${h}${clean}`, h.length) ?? routes.get(h));
        if (hit !== undefined) return hit;
      }
      return longest(clean, 0);
    },
    list() {
      return [...routes.values()].map(copyRoute);
    },
    touch(prefix, when) {
      const route = routes.get(normalizePrefix(prefix));
      if (route !== undefined) route.lastActivity = new Date(when);
    },
  };
}
