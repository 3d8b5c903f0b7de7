import { BulwarkError } from '../../errors/index.js';
import type { HubDeps } from '../hub-deps.js';
import { checkApiXsrf, requireIdentity, requireScope } from '../request-context.js';
import type { ApiRegistry } from './api-registry.js';
import { pageOf, pageResult } from './pagination.js';
import { shareModel } from './share-model.js';
import type { Grantee, ShareRecord, ShareStore } from './share-store.js';

type Params = { name: string; owner?: string; server_name?: string };

function storeOf(deps: HubDeps): ShareStore {
  if (!deps.shares) throw new BulwarkError('HTTP_NOT_FOUND');
  return deps.shares;
}

interface GranteeKind {
  /** `users` or `groups`: the path segment and the scope family. */
  plural: 'users' | 'groups';
  /** Resolves the path's name after the scope check; 404 when it does not exist. */
  resolve(deps: HubDeps, identity: Awaited<ReturnType<typeof requireIdentity>>, scopes: readonly string[], name: string): Promise<Grantee>;
}

const userKind: GranteeKind = {
  plural: 'users',
  async resolve(deps, identity, scopes, name) {
    const user = await deps.users.get(name);
    requireScope(identity, scopes, { user: name, groups: user ? await deps.users.groupsOf(user.id) : [] });
    if (!user) throw new BulwarkError('IDENTITY_USER_NOT_FOUND', { name });
    return { kind: 'user', id: user.id };
  },
};

const groupKind: GranteeKind = {
  plural: 'groups',
  async resolve(deps, identity, scopes, name) {
    requireScope(identity, scopes, { groups: [name] });
    const group = await deps.groups.get(name);
    if (!group) throw new BulwarkError('HUB_GROUP_NOT_FOUND', { name });
    return { kind: 'group', id: group.id };
  },
};

async function oneShare(deps: HubDeps, grantee: Grantee, params: Params): Promise<ShareRecord> {
  const serverName = params.server_name ?? '';
  const owner = await deps.users.get(params.owner ?? '');
  const store = storeOf(deps);
  const serverId = owner ? await store.serverId(owner.id, serverName) : undefined;
  const share = serverId === undefined ? undefined : await store.get(serverId, grantee);
  if (!share) throw new BulwarkError('HUB_API_NOT_FOUND', { detail: `No shared access to ${params.owner ?? ''}/${serverName}` });
  return share;
}

/** JupyterHub 5 sharing seen from the grantee: what is shared with a user or group, and leaving it. */
export function registerSharedWithRoutes(api: ApiRegistry, deps: HubDeps): void {
  for (const kind of [userKind, groupKind]) {
    const read = `read:${kind.plural}:shares`;
    const write = `${kind.plural}:shares`;
    api.route(
      {
        method: 'GET',
        path: `/${kind.plural}/{name}/shared`,
        summary: `List servers shared with a ${kind.plural === 'users' ? 'user' : 'group'} (paginated)`,
        scopes: [read],
        responses: { 200: '{"items": [Share], "_pagination": {...}}', 404: `No such ${kind.plural === 'users' ? 'user' : 'group'}` },
      },
      async (request) => {
        const identity = await requireIdentity(request, deps);
        const grantee = await kind.resolve(deps, identity, [read], (request.params as Params).name);
        const all = await storeOf(deps).list(grantee.kind === 'user' ? { userId: grantee.id } : { groupId: grantee.id });
        const page = { ...pageOf(request), envelope: true };
        return pageResult(request, page, all.slice(page.offset, page.offset + page.limit).map((share) => shareModel(deps, share)), all.length);
      },
    );
    for (const path of [`/${kind.plural}/{name}/shared/{owner}/{server_name}`, `/${kind.plural}/{name}/shared/{owner}/`]) {
      api.route(
        { method: 'GET', path, summary: 'The share granting access to one server', scopes: [read], responses: { 200: 'Share', 404: 'No such share' } },
        async (request) => {
          const identity = await requireIdentity(request, deps);
          const params = request.params as Params;
          const grantee = await kind.resolve(deps, identity, [read], params.name);
          return shareModel(deps, await oneShare(deps, grantee, params));
        },
      );
      api.route(
        { method: 'DELETE', path, summary: 'Leave a shared server (revoke the share)', scopes: [write], responses: { 204: 'Revoked', 404: 'No such share' } },
        async (request, reply) => {
          const identity = await requireIdentity(request, deps);
          checkApiXsrf(request, identity, deps);
          const params = request.params as Params;
          const grantee = await kind.resolve(deps, identity, [write], params.name);
          const share = await oneShare(deps, grantee, params);
          await storeOf(deps).revoke(share.serverId, grantee);
          await deps.audit.record({ name: identity.user.name, ip: request.ip }, { action: 'share.leave', target: `${share.ownerName}/${share.serverName}`, detail: { [grantee.kind]: params.name } });
          return reply.code(204).type('text/plain').send('');
        },
      );
    }
  }
}
