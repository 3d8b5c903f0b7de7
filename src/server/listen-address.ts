import { BulwarkError } from '../errors/index.js';

export interface ListenAddress {
  host: string;
  port: number;
  tls: boolean;
  loopback: boolean;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Reads a bind URL such as `http://127.0.0.1:8000`; the path part is ignored (base_url sets it). */
export function parseBindUrl(bindUrl: string, key: string): ListenAddress {
  const url = new URL(bindUrl);
  const tls = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port === '' ? (tls ? 443 : 80) : Number(url.port);
  if (!Number.isInteger(port)) throw new BulwarkError('CONFIG_INVALID', { detail: `${key}: bad port in ${bindUrl}` });
  return { host, port, tls, loopback: loopbackHosts.has(url.hostname) || host.startsWith('127.') };
}

/**
 * A hub reachable from other machines must use TLS: passwords and session cookies would
 * otherwise cross the network in clear. `--insecure-http` is the explicit, logged opt-out.
 */
export function assertSafeBind(address: ListenAddress, insecureHttp: boolean, key: string): void {
  if (!address.tls && !address.loopback && !insecureHttp) {
    throw new BulwarkError('CONFIG_INVALID', {
      detail: `${key}: refusing plain HTTP on non-loopback address ${address.host}; configure hub.tls.keystore or pass --insecure-http`,
    });
  }
}
