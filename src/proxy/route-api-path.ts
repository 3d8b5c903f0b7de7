/**
 * The route prefix named by a REST API path, as configurable-http-proxy reads it: the part after
 * `/api/routes`, URL-decoded, with a leading slash and without a trailing one (`/` stays `/`).
 * Returns undefined for a path outside `/api/routes` or one that does not decode.
 */
export function routePathFromApiUrl(url: string): string | undefined {
  const query = url.indexOf('?');
  const pathname = query === -1 ? url : url.slice(0, query);
  if (pathname !== '/api/routes' && !pathname.startsWith('/api/routes/')) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(pathname.slice('/api/routes'.length));
  } catch {
    return undefined;
  }
  if (!path.startsWith('/')) path = `/${path}`;
  while (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return path;
}

/**
 * Converts an API path to a route-table prefix. With host routing the first segment is the host
 * (`/host.example/x` -> `host.example/x`); the root route stays `/`.
 */
export function prefixFromRoutePath(path: string, hostRouting: boolean): string {
  if (!hostRouting || path === '/') return path;
  return path.slice(1);
}
