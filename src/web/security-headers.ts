/** The HSTS part of a TLS section (hub.tls, channel.tls): the keys of IBM's z/OS JupyterHub build. */
export interface HstsSettings {
  hsts: boolean;
  hsts_max_age: number;
  hsts_include_subdomains: boolean;
  hsts_preload: boolean;
}

const defaultHsts: HstsSettings = { hsts: true, hsts_max_age: 31536000, hsts_include_subdomains: false, hsts_preload: false };

/**
 * The Strict-Transport-Security value for a listener, or null when none is sent. Browsers ignore
 * the header over plain HTTP (RFC 6797 section 8.1), and sending it there would only advertise a promise
 * the listener does not keep, so it is emitted only when the listener itself serves TLS.
 */
export function hstsHeader(tls: boolean, settings: HstsSettings = defaultHsts): string | null {
  if (!tls || !settings.hsts) return null;
  return [`max-age=${settings.hsts_max_age}`, ...(settings.hsts_include_subdomains ? ['includeSubDomains'] : []), ...(settings.hsts_preload ? ['preload'] : [])].join('; ');
}

/**
 * Headers every page and API response of Bulwark carries (not the proxied responses of users'
 * servers, which set their own). Scripts and styles come only from our own static files.
 */
export function securityHeaders(options: { tls: boolean; hsts?: HstsSettings }): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Security-Policy':
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
  const hsts = hstsHeader(options.tls, options.hsts);
  if (hsts !== null) headers['Strict-Transport-Security'] = hsts;
  return headers;
}

/**
 * Security headers chosen per connection: an app whose listener serves TLS can also be reached
 * over loopback HTTP (single-user servers call the hub API and the mounted channel there), and
 * HSTS belongs only on the encrypted connections.
 */
export function securityHeadersByConnection(options: { tls: boolean; hsts?: HstsSettings }): (socket: unknown) => Record<string, string> {
  const overTls = securityHeaders(options);
  const plain = securityHeaders({ ...options, tls: false });
  return (socket) => (options.tls && isTlsSocket(socket) ? overTls : plain);
}

function isTlsSocket(socket: unknown): boolean {
  return typeof socket === 'object' && socket !== null && (socket as { encrypted?: unknown }).encrypted === true;
}
