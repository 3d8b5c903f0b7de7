/** `.` as browsers and WHATWG URL parsing see it in a path segment, percent-encoded or not. */
function isDot(segment: string): boolean {
  return segment === '.' || segment.toLowerCase() === '%2e';
}

function isDotDot(segment: string): boolean {
  const s = segment.toLowerCase();
  return s === '..' || s === '.%2e' || s === '%2e.' || s === '%2e%2e';
}

/**
 * The path segments a request targets, for route matching: query and fragment dropped, empty segments
 * dropped, and dot segments resolved. Resolving matters because the backend normalises `..` itself:
 * without it `/user/bob/../alice/api` would be routed to bob's server while naming alice's path.
 * Segments stay percent-encoded otherwise, so matching is on the raw bytes, like configurable-http-proxy.
 */
export function pathSegments(path: string): string[] {
  let end = path.length;
  const query = path.indexOf('?');
  if (query !== -1) end = query;
  const hash = path.indexOf('#');
  if (hash !== -1 && hash < end) end = hash;
  const resolved: string[] = [];
  for (const segment of path.slice(0, end).split('/')) {
    if (segment === '' || isDot(segment)) continue;
    if (isDotDot(segment)) resolved.pop();
    else resolved.push(segment);
  }
  return resolved;
}

/** Host names compare case-insensitively and without port or trailing dot. */
export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    // IPv6 literal: the port, if any, follows the closing bracket.
    const close = h.indexOf(']');
    return close === -1 ? h : h.slice(0, close + 1);
  }
  const colon = h.indexOf(':');
  if (colon !== -1) h = h.slice(0, colon);
  return h.endsWith('.') ? h.slice(0, -1) : h;
}
