import type { HubDeps } from '../hub-deps.js';
import type { ShareCodeRecord } from './share-code-store.js';
import type { ShareRecord } from './share-store.js';

/** JupyterHub 5's SharedServer: the server a share or share code is about. */
function sharedServerModel(deps: HubDeps, share: { ownerId: number; ownerName: string; serverName: string }): Record<string, unknown> {
  const view = deps.servers.list({ id: share.ownerId }).find((server) => server.name === share.serverName);
  return {
    name: share.serverName,
    user: { name: share.ownerName },
    url: deps.paths.userServer(share.ownerName, share.serverName),
    ready: view?.ready ?? false,
  };
}

/** JupyterHub 5's ShareCode model (the code itself is added only when it is issued). */
export function shareCodeModel(deps: HubDeps, code: ShareCodeRecord): Record<string, unknown> {
  return {
    server: sharedServerModel(deps, code),
    scopes: code.scopes,
    id: code.id,
    created_at: code.createdAt,
    expires_at: code.expiresAt,
    last_exchanged_at: code.lastExchangedAt,
    exchange_count: code.exchangeCount,
  };
}

/** JupyterHub 5's Share model: the server (with its owner, URL and readiness), scopes, grantee. */
export function shareModel(deps: HubDeps, share: ShareRecord): Record<string, unknown> {
  return {
    server: sharedServerModel(deps, share),
    scopes: share.scopes,
    user: share.user === null ? null : { name: share.user },
    group: share.group === null ? null : { name: share.group },
    kind: share.user === null ? 'group' : 'user',
    created_at: share.createdAt,
  };
}
