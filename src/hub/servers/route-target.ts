import type { ServerState } from '../../spawner/spawner.js';

/**
 * Where the proxy sends a server's traffic. An https server (hub.internal_tls) is reached at the
 * origin of its URL, whose host its certificate names (a wildcard bind is reached on loopback);
 * a plain one at its ip and port, as it always was.
 */
export function routeTarget(state: Pick<ServerState, 'ip' | 'port' | 'url'>): string {
  const url = new URL(state.url);
  return url.protocol === 'https:' ? url.origin : `http://${state.ip}:${state.port}`;
}
