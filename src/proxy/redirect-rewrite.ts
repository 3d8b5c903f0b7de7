/** How Location headers of redirects are rewritten (CHP's --auto-rewrite and --protocol-rewrite). */
export interface RedirectRewriteOptions {
  /** Replace the backend's host:port in a redirect with the Host the client asked for. */
  autoRewrite?: boolean;
  /** Replace the scheme of a redirect to the backend, e.g. `https` behind a TLS terminator. */
  protocol?: string;
}

const redirectStatuses = new Set([201, 301, 302, 303, 307, 308]);

/**
 * The Location a client should see for a backend's redirect. Only absolute URLs that point at the
 * backend itself are touched (a server that builds its own URL from its bind address); relative
 * ones and redirects elsewhere (to the hub's login, say) pass unchanged.
 */
export function rewriteLocation(
  status: number,
  location: string,
  target: URL,
  clientHost: string | undefined,
  options: RedirectRewriteOptions,
): string {
  if (!redirectStatuses.has(status)) return location;
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return location;
  }
  if (url.host !== target.host) return location;
  if (options.autoRewrite === true && clientHost !== undefined) {
    // Setting `host` without a port would keep the backend's port, so both parts are set.
    let client: URL;
    try {
      client = new URL(`http://${clientHost}`);
    } catch {
      return location;
    }
    url.hostname = client.hostname;
    url.port = client.port;
  }
  if (options.protocol !== undefined) url.protocol = options.protocol.endsWith(':') ? options.protocol : `${options.protocol}:`;
  return url.toString();
}
