import type { HubPaths } from '../paths.js';

export interface HubEnvironmentInput {
  user: string;
  serverName: string;
  apiToken: string;
  clientId: string;
  /** Where the server reaches the hub API, e.g. http://127.0.0.1:8000/hub/api */
  apiUrl: string;
  paths: HubPaths;
}

/**
 * The JUPYTERHUB_* variables of the single-user contract (JupyterHub's Spawner.get_env), except
 * JUPYTERHUB_SERVICE_URL, which the spawner adds once it knows the port.
 */
export function hubEnvironment(input: HubEnvironmentInput): Record<string, string> {
  const prefix = input.paths.userServer(input.user, input.serverName);
  const fullServer = `${input.user}/${input.serverName}`;
  const accessScopes = JSON.stringify([`access:servers!server=${fullServer}`, `access:servers!user=${input.user}`]);
  return {
    JUPYTERHUB_API_TOKEN: input.apiToken,
    JPY_API_TOKEN: input.apiToken,
    JUPYTERHUB_CLIENT_ID: input.clientId,
    JUPYTERHUB_HOST: '',
    JUPYTERHUB_OAUTH_CALLBACK_URL: `${prefix}oauth_callback`,
    JUPYTERHUB_OAUTH_SCOPES: accessScopes,
    JUPYTERHUB_OAUTH_ACCESS_SCOPES: accessScopes,
    JUPYTERHUB_OAUTH_CLIENT_ALLOWED_SCOPES: '[]',
    JUPYTERHUB_USER: input.user,
    JUPYTERHUB_SERVER_NAME: input.serverName,
    JUPYTERHUB_API_URL: input.apiUrl,
    JUPYTERHUB_ACTIVITY_URL: `${input.apiUrl}/users/${encodeURIComponent(input.user)}/activity`,
    JUPYTERHUB_BASE_URL: input.paths.base,
    JUPYTERHUB_SERVICE_PREFIX: prefix,
    JUPYTERHUB_PUBLIC_URL: '',
    JUPYTERHUB_PUBLIC_HUB_URL: '',
    JUPYTERHUB_COOKIE_HOST_PREFIX_ENABLED: '0',
  };
}

/** JupyterHub's OAuth client id for a server: `jupyterhub-user-<name>[-<server>]`, URL-quoted. */
export function serverClientId(user: string, serverName: string): string {
  const base = `jupyterhub-user-${encodeURIComponent(user)}`;
  return serverName === '' ? base : `${base}-${encodeURIComponent(serverName)}`;
}
