import type { FastifyRequest } from 'fastify';
import { BulwarkError } from '../../errors/index.js';
import { grants, type ScopeTarget } from '../../identity/index.js';
import type { Identity } from '../auth/identify.js';
import type { HubDeps } from '../hub-deps.js';
import { checkApiXsrf, requireIdentity } from '../request-context.js';
import type { ApiRegistry } from './api-registry.js';
import { pageOf, pageResult } from './pagination.js';
import { objectBody, stringList } from './request-body.js';
import { shareListingOwner, sharedServer, shareScopes, storeOf, type Params, type SharedServer } from './share-access.js';
import { registerShareCodeRoutes } from './share-code-routes.js';
import { shareModel } from './share-model.js';
import type { Grantee, ShareRecord } from './share-store.js';

/** The user or group of a POST/PATCH body; exactly one, and one the caller may see by name. */
async function granteeOf(deps: HubDeps, identity: Identity, body: Record<string, unknown>, server: SharedServer): Promise<Grantee> {
  const user = body['user'];
  const group = body['group'];
  if ((user === undefined || user === null) === (group === undefined || group === null)) {
    throw new BulwarkError('HUB_API_INVALID', { detail: "Specify exactly one of 'user' or 'group'" });
  }
  if (user !== undefined && user !== null) {
    if (typeof user !== 'string') throw new BulwarkError('HUB_API_INVALID', { detail: 'user must be a string' });
    const found = await deps.users.get(user);
    const visible = found && grants(identity.scopes, 'read:users:name', { user, groups: await deps.users.groupsOf(found.id) });
    if (!found || !visible) throw new BulwarkError('HUB_API_INVALID', { detail: `No such user: ${user}` });
    if (found.id === server.owner.id) throw new BulwarkError('HUB_API_INVALID', { detail: `Cannot share a server with its owner ${user}` });
    return { kind: 'user', id: found.id };
  }
  if (typeof group !== 'string') throw new BulwarkError('HUB_API_INVALID', { detail: 'group must be a string' });
  const found = await deps.groups.get(group);
  if (!found || !grants(identity.scopes, 'read:groups:name', { groups: [group] })) throw new BulwarkError('HUB_API_INVALID', { detail: `No such group: ${group}` });
  return { kind: 'group', id: found.id };
}

/** Share lists are always paginated dicts in JupyterHub 5, whatever the Accept header says. */
function listing(request: FastifyRequest, deps: HubDeps, shares: ShareRecord[]): unknown {
  const page = { ...pageOf(request), envelope: true };
  return pageResult(request, page, shares.slice(page.offset, page.offset + page.limit).map((share) => shareModel(deps, share)), shares.length);
}

const serverTarget = (share: ShareRecord): ScopeTarget => ({ user: share.ownerName, server: `${share.ownerName}/${share.serverName}` });

/** What POST and PATCH of a server's shares start from: the caller (XSRF checked), the server, the body and its grantee. */
async function shareChange(request: FastifyRequest, deps: HubDeps) {
  const identity = await requireIdentity(request, deps);
  checkApiXsrf(request, identity, deps);
  const server = await sharedServer(deps, identity, ['shares'], request.params as Params);
  const body = objectBody(request) ?? {};
  const grantee = await granteeOf(deps, identity, body, server);
  return { identity, server, body, grantee };
}

/** JupyterHub 5 sharing by owners: /shares/{owner} and /shares/{owner}/{server_name} (and `/` for the default server). */
export function registerShareRoutes(api: ApiRegistry, deps: HubDeps): void {
  registerShareCodeRoutes(api, deps);
  api.route(
    {
      method: 'GET',
      path: '/shares/{owner}',
      summary: "List shares of any of the owner's servers (paginated)",
      scopes: ['read:shares'],
      responses: { 200: '{"items": [Share], "_pagination": {...}}', 404: 'No such user' },
    },
    async (request) => {
      const { identity, owner } = await shareListingOwner(request, deps);
      const all = await storeOf(deps).list({ ownerId: owner.id });
      return listing(request, deps, all.filter((share) => grants(identity.scopes, 'read:shares', serverTarget(share))));
    },
  );

  for (const path of ['/shares/{owner}/{server_name}', '/shares/{owner}/']) {
    const which = path.endsWith('/') ? 'the default server' : 'a server';
    api.route(
      { method: 'GET', path, summary: `List shares of ${which} (paginated)`, scopes: ['read:shares'], responses: { 200: '{"items": [Share], "_pagination": {...}}', 404: 'No such server' } },
      async (request) => {
        const identity = await requireIdentity(request, deps);
        const server = await sharedServer(deps, identity, ['read:shares'], request.params as Params);
        return listing(request, deps, await storeOf(deps).list({ serverId: server.serverId }));
      },
    );
    api.route(
      {
        method: 'POST',
        path,
        summary: `Grant shared access to ${which}`,
        scopes: ['shares'],
        body: '{"user": str} or {"group": str}, "scopes": [str] (default access:servers on the server)',
        responses: { 200: 'The Share, with scopes merged into any earlier grant', 400: 'Bad body, unknown grantee, or scopes that cannot be given', 404: 'No such server' },
      },
      async (request) => {
        const { identity, server, body, grantee } = await shareChange(request, deps);
        const scopes = shareScopes(identity, body['scopes'], server);
        const store = storeOf(deps);
        await store.grant(server.serverId, grantee, scopes, new Date().toISOString());
        const share = await store.get(server.serverId, grantee);
        await deps.audit.record(
          { name: identity.user.name, ip: request.ip },
          { action: 'share.grant', target: `${server.owner.name}/${server.serverName}`, detail: { ...(share?.user ? { user: share.user } : { group: share?.group ?? null }), scopes } },
        );
        return share ? shareModel(deps, share) : {};
      },
    );
    api.route(
      {
        method: 'PATCH',
        path,
        summary: `Revoke some or all shared access to ${which} for one user or group`,
        scopes: ['shares'],
        body: '{"user": str} or {"group": str}, "scopes": [str] (default: all)',
        responses: { 200: 'The remaining Share, or {} when nothing remains', 400: 'Bad body', 404: 'No such server' },
      },
      async (request) => {
        const { identity, server, body, grantee } = await shareChange(request, deps);
        const filter = `server=${server.owner.name}/${server.serverName}`;
        const scopes = body['scopes'] === undefined || body['scopes'] === null ? undefined : stringList(body['scopes'], 'scopes').map((scope) => (scope.includes('!') ? scope : `${scope}!${filter}`));
        const store = storeOf(deps);
        await store.revoke(server.serverId, grantee, scopes);
        await deps.audit.record({ name: identity.user.name, ip: request.ip }, { action: 'share.revoke', target: `${server.owner.name}/${server.serverName}`, detail: { scopes: scopes ?? 'all' } });
        const share = await store.get(server.serverId, grantee);
        return share ? shareModel(deps, share) : {};
      },
    );
    api.route(
      { method: 'DELETE', path, summary: `Revoke all shared access to ${which}`, scopes: ['shares'], responses: { 204: 'Every share of the server is gone', 404: 'No such server' } },
      async (request, reply) => {
        const identity = await requireIdentity(request, deps);
        checkApiXsrf(request, identity, deps);
        const server = await sharedServer(deps, identity, ['shares'], request.params as Params);
        await storeOf(deps).revokeAll(server.serverId);
        await deps.audit.record({ name: identity.user.name, ip: request.ip }, { action: 'share.revoke', target: `${server.owner.name}/${server.serverName}`, detail: { scopes: 'all', grantees: 'all' } });
        return reply.code(204).type('text/plain').send('');
      },
    );
  }
}
