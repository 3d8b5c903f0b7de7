import type { ServerUrls } from './server-url.js';

/** PEM material the spawner presents when it polls a TLS server, trusting only `ca`. */
export interface ServerTlsClient {
  key: string;
  cert: string;
  ca: string;
}

/**
 * Internal TLS as the spawner sees it (hub.internal_tls, built in src/keystore/internal-tls.ts):
 * each server gets its own certificate files before it starts, loses them after it stops, and is
 * reached over https with the hub's client certificate.
 */
export interface ServerTls {
  /** Issues and writes the server's files; returns the JUPYTERHUB_SSL_* variables that name them. */
  deliver(server: { username: string; uid: number; gid: number; port: number; ip: string }): Promise<Record<string, string>>;
  remove(server: { uid: number; port: number }): Promise<void>;
  readonly hubClient: ServerTlsClient;
}

/** The same URLs with https: jupyterhub-singleuser serves TLS once JUPYTERHUB_SSL_* are set. */
export function httpsUrls(urls: ServerUrls): ServerUrls {
  return { bind: urls.bind.replace(/^http:/, 'https:'), reach: urls.reach.replace(/^http:/, 'https:') };
}
