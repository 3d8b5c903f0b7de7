import { isIPv6 } from 'node:net';

export interface ServerUrls {
  /** JUPYTERHUB_SERVICE_URL: the server binds the ip and port it names. */
  bind: string;
  /** Where the hub and proxy reach the server (a wildcard bind is reached on loopback). */
  reach: string;
}

function hostPart(ip: string): string {
  return isIPv6(ip) ? `[${ip}]` : ip;
}

/** Makes sure the prefix starts and ends with '/', because `${url}api` must stay under it. */
export function normalizeServicePrefix(prefix: string): string {
  let path = prefix.startsWith('/') ? prefix : `/${prefix}`;
  if (!path.endsWith('/')) path = `${path}/`;
  return path;
}

export function serverUrl(ip: string, port: number, servicePrefix: string): ServerUrls {
  const prefix = normalizeServicePrefix(servicePrefix);
  const bindIp = ip === '' ? '0.0.0.0' : ip;
  const reachIp = bindIp === '0.0.0.0' ? '127.0.0.1' : bindIp === '::' ? '::1' : bindIp;
  return {
    bind: `http://${hostPart(bindIp)}:${port}${prefix}`,
    reach: `http://${hostPart(reachIp)}:${port}${prefix}`,
  };
}
