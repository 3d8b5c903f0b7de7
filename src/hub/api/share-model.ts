import type { HubDeps } from '../hub-deps.js';
import type { ShareRecord } from './share-store.js';

/** JupyterHub 5's Share model: the server (with its owner, URL and readiness), scopes, grantee. */
export function shareModel(deps: HubDeps, share: ShareRecord): Record<string, unknown> {
  const view = deps.servers.list({ id: share.ownerId }).find((server) => server.name === share.serverName);
  return {
    server: {
      name: share.serverName,
      user: { name: share.ownerName },
      url: deps.paths.userServer(share.ownerName, share.serverName),
      ready: view?.ready ?? false,
    },
    scopes: share.scopes,
    user: share.user === null ? null : { name: share.user },
    group: share.group === null ? null : { name: share.group },
    kind: share.user === null ? 'group' : 'user',
    created_at: share.createdAt,
  };
}
