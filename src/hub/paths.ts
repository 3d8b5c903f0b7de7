/** URL layout of the hub, derived once from hub.base_url (JupyterHub's `base_url`). */
export interface HubPaths {
  /** e.g. `/` */
  base: string;
  /** e.g. `/hub/` */
  hub: string;
  /** e.g. `/hub/api` (no trailing slash, as JUPYTERHUB_API_URL) */
  api: string;
  /** `/user/alice/` or `/user/alice/name/` */
  userServer(user: string, serverName?: string): string;
  hubUrl(path: string): string;
}

export function hubPaths(baseUrl: string): HubPaths {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const hub = `${base}hub/`;
  return {
    base,
    hub,
    api: `${hub}api`,
    userServer: (user, serverName = '') =>
      `${base}user/${encodeURIComponent(user)}/${serverName === '' ? '' : `${encodeURIComponent(serverName)}/`}`,
    hubUrl: (path) => `${hub}${path.replace(/^\//, '')}`,
  };
}

/**
 * Where to go after login: only paths on this site are accepted (no `//evil`, no scheme), and
 * `/user/...` paths go through `/hub/user/...` as JupyterHub does, so a stopped server gets a page.
 */
export function safeNextUrl(next: string | undefined, paths: HubPaths): string | undefined {
  if (!next) return undefined;
  if (!next.startsWith('/') || next.startsWith('//') || next.includes('\\') || /[\r\n]/.test(next)) return undefined;
  const userPrefix = `${paths.base}user/`;
  if (next.startsWith(userPrefix)) return `${paths.hub}user/${next.slice(userPrefix.length)}`;
  return next;
}
