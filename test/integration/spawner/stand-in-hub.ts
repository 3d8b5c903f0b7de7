import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The two hub endpoints jupyterhub-singleuser 3.0 calls on its own during start-up: the version
 * check and activity reports. Test-only; the real hub lives in src/hub/.
 */
export interface StandInHub {
  /** JUPYTERHUB_API_URL: http://127.0.0.1:PORT/hub/api (no trailing slash, as the contract says). */
  apiUrl: string;
  /** Every request seen, as 'METHOD /path'. */
  requests: string[];
  /** API tokens `GET /hub/api/user` accepts, token → user name. */
  userTokens: Map<string, string>;
  close(): Promise<void>;
}

export async function startStandInHub(): Promise<StandInHub> {
  const requests: string[] = [];
  const userTokens = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    requests.push(`${req.method} ${path}`);
    res.setHeader('X-JupyterHub-Version', '3.0.0');
    res.setHeader('Content-Type', 'application/json');
    req.resume();
    if (req.method === 'GET' && path === '/hub/api') {
      res.end(JSON.stringify({ version: '3.0.0' }));
    } else if (req.method === 'GET' && path === '/hub/api/user') {
      // The server asks who a caller's token belongs to; the scopes grant access to that user's server.
      const token = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const name = userTokens.get(token);
      if (name === undefined) {
        res.statusCode = 403;
        res.end(JSON.stringify({ status: 403, message: 'Forbidden' }));
      } else {
        const scopes = [`access:servers!server=${name}/`, `access:servers!user=${name}`];
        res.end(JSON.stringify({ kind: 'user', name, admin: false, groups: [], scopes, session_id: null }));
      }
    } else if (req.method === 'POST' && /^\/hub\/api\/users\/[^/]+\/activity$/.test(path)) {
      res.end('{}');
    } else {
      res.statusCode = 404;
      res.end(JSON.stringify({ status: 404, message: 'Not found' }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/hub/api`,
    requests,
    userTokens,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The JUPYTERHUB_* variables a hub computes for `name`'s default server (contract §1.2). */
export function contractEnvironment(hub: StandInHub, name: string, token: string): Record<string, string> {
  const prefix = `/user/${name}/`;
  const scopes = JSON.stringify([`access:servers!server=${name}/`, `access:servers!user=${name}`]);
  return {
    JUPYTERHUB_API_TOKEN: token,
    JUPYTERHUB_CLIENT_ID: `jupyterhub-user-${name}`,
    JUPYTERHUB_API_URL: hub.apiUrl,
    JUPYTERHUB_ACTIVITY_URL: `${hub.apiUrl}/users/${name}/activity`,
    JUPYTERHUB_SERVICE_PREFIX: prefix,
    JUPYTERHUB_OAUTH_CALLBACK_URL: `${prefix}oauth_callback`,
    JUPYTERHUB_OAUTH_ACCESS_SCOPES: scopes,
    JUPYTERHUB_OAUTH_SCOPES: scopes,
    JUPYTERHUB_OAUTH_CLIENT_ALLOWED_SCOPES: '[]',
    JUPYTERHUB_USER: name,
    JUPYTERHUB_SERVER_NAME: '',
    JUPYTERHUB_BASE_URL: '/',
    JUPYTERHUB_HOST: '',
    JUPYTERHUB_SINGLEUSER_APP: 'notebook.notebookapp.NotebookApp',
  };
}
