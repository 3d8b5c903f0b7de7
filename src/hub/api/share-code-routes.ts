import { BulwarkError } from '../../errors/index.js';
import { grants } from '../../identity/index.js';
import type { HubDeps } from '../hub-deps.js';
import { checkApiXsrf, requireIdentity } from '../request-context.js';
import type { ApiRegistry } from './api-registry.js';
import { pageOf, pageResult } from './pagination.js';
import { objectBody } from './request-body.js';
import type { ShareCodeRecord, ShareCodeStore } from './share-code-store.js';
import { shareCodeModel } from './share-model.js';
import { shareListingOwner, shareScopes, sharedServer, type Params } from './share-access.js';

/**
 * JupyterHub 5's bounds on a share code's lifetime (its ShareCodeGrantRequest): one day unless the
 * request says otherwise, at least a minute, at most a year. JupyterHub has no setting for them.
 */
const DEFAULT_EXPIRES_IN = 86_400;
const MIN_EXPIRES_IN = 60;
const MAX_EXPIRES_IN = 365 * 86_400;

function codesOf(deps: HubDeps): ShareCodeStore {
  if (!deps.shares) throw new BulwarkError('HTTP_NOT_FOUND');
  return deps.shares.codes;
}

function listing(request: Parameters<typeof pageOf>[0], deps: HubDeps, codes: ShareCodeRecord[]): unknown {
  const page = { ...pageOf(request), envelope: true };
  return pageResult(request, page, codes.slice(page.offset, page.offset + page.limit).map((code) => shareCodeModel(deps, code)), codes.length);
}

/** Only an absent key means the default: JupyterHub refuses an explicit null as it does any non-integer. */
function expiresIn(value: unknown): number {
  if (value === undefined) return DEFAULT_EXPIRES_IN;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_EXPIRES_IN || value > MAX_EXPIRES_IN) {
    throw new BulwarkError('HUB_SHARE_CODE_EXPIRY_INVALID', { value: JSON.stringify(value) ?? String(value) });
  }
  return value;
}

/** JupyterHub 5 share codes: issued by the owner, exchanged at /hub/accept-share by whoever receives one. */
export function registerShareCodeRoutes(api: ApiRegistry, deps: HubDeps): void {
  api.route(
    {
      method: 'GET',
      path: '/share-codes/{owner}',
      summary: "List live share codes of any of the owner's servers (paginated)",
      scopes: ['read:shares'],
      responses: { 200: '{"items": [ShareCode], "_pagination": {...}}', 404: 'No such user' },
    },
    async (request) => {
      const { identity, owner } = await shareListingOwner(request, deps);
      const all = await codesOf(deps).list({ ownerId: owner.id }, new Date().toISOString());
      return listing(request, deps, all.filter((code) => grants(identity.scopes, 'read:shares', { user: code.ownerName, server: `${code.ownerName}/${code.serverName}` })));
    },
  );

  for (const path of ['/share-codes/{owner}/{server_name}', '/share-codes/{owner}/']) {
    const which = path.endsWith('/') ? 'the default server' : 'a server';
    api.route(
      { method: 'GET', path, summary: `List live share codes of ${which} (paginated)`, scopes: ['read:shares'], responses: { 200: '{"items": [ShareCode], "_pagination": {...}}', 404: 'No such server' } },
      async (request) => {
        const identity = await requireIdentity(request, deps);
        const server = await sharedServer(deps, identity, ['read:shares'], request.params as Params);
        return listing(request, deps, await codesOf(deps).list({ serverId: server.serverId }, new Date().toISOString()));
      },
    );
    api.route(
      {
        method: 'POST',
        path,
        summary: `Issue a share code for ${which}`,
        scopes: ['shares'],
        body: '{"expires_in": int 60..31536000 (default 86400), "scopes": [str] (default access:servers on the server)}',
        responses: { 200: 'The ShareCode with `code` and `accept_url` (shown once)', 400: 'Bad expiry or scopes', 404: 'No such server' },
      },
      async (request) => {
        const identity = await requireIdentity(request, deps);
        checkApiXsrf(request, identity, deps);
        const server = await sharedServer(deps, identity, ['shares'], request.params as Params);
        const body = objectBody(request) ?? {};
        const seconds = expiresIn(body['expires_in']);
        const scopes = shareScopes(identity, body['scopes'], server);
        const now = new Date();
        const { code, record } = await codesOf(deps).issue(server.serverId, scopes, new Date(now.getTime() + seconds * 1000).toISOString(), now.toISOString());
        await deps.audit.record({ name: identity.user.name, ip: request.ip }, { action: 'share.code.issue', target: `${server.owner.name}/${server.serverName}`, detail: { id: record.id, scopes, expires_in: seconds } });
        const acceptUrl = `${deps.paths.hubUrl('accept-share')}?code=${encodeURIComponent(code)}`;
        return { ...shareCodeModel(deps, record), code, accept_url: acceptUrl, full_accept_url: null };
      },
    );
    api.route(
      {
        method: 'DELETE',
        path,
        summary: `Revoke a share code of ${which} (?id= or ?code=; neither revokes all)`,
        scopes: ['shares'],
        responses: { 204: 'Revoked', 400: 'Both id and code given', 404: 'No such server, or no such code or id' },
      },
      async (request, reply) => {
        const identity = await requireIdentity(request, deps);
        checkApiXsrf(request, identity, deps);
        const server = await sharedServer(deps, identity, ['shares'], request.params as Params);
        const query = (request.query ?? {}) as Record<string, unknown>;
        const id = typeof query['id'] === 'string' ? query['id'] : undefined;
        const code = typeof query['code'] === 'string' ? query['code'] : undefined;
        if (id !== undefined && code !== undefined) throw new BulwarkError('HUB_API_INVALID', { detail: "Specify at most one of 'id' or 'code'" });
        const revoked = await codesOf(deps).revoke(server.serverId, { ...(id !== undefined ? { id } : {}), ...(code !== undefined ? { code } : {}) }, new Date().toISOString());
        // JupyterHub's answers when a named code is not there (revoking all of none is fine).
        if (revoked === 0 && code !== undefined) throw new BulwarkError('HUB_API_NOT_FOUND', { detail: 'No matching code found' });
        if (revoked === 0 && id !== undefined) throw new BulwarkError('HUB_API_NOT_FOUND', { detail: `No code found matching id=${id}` });
        await deps.audit.record({ name: identity.user.name, ip: request.ip }, { action: 'share.code.revoke', target: `${server.owner.name}/${server.serverName}`, detail: { id: id ?? (code ? 'by code' : 'all') } });
        return reply.code(204).type('text/plain').send('');
      },
    );
  }
}
