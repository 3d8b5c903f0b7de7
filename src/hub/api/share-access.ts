import { BulwarkError } from '../../errors/index.js';
import { grants, isKnownScope, parseScope, type ScopeTarget, type User } from '../../identity/index.js';
import type { FastifyRequest } from 'fastify';
import type { Identity } from '../auth/identify.js';
import type { HubDeps } from '../hub-deps.js';
import { requireIdentity, requireScope } from '../request-context.js';
import { stringList } from './request-body.js';
import type { ShareStore } from './share-store.js';

export type Params = { owner: string; server_name?: string };

/** What can be shared: permissions on the one server, nothing about its owner. */
const SHAREABLE = new Set(['access:servers', 'read:servers', 'servers', 'delete:servers']);

export interface SharedServer {
  owner: User;
  serverName: string;
  serverId: number;
  target: ScopeTarget;
}

export function storeOf(deps: HubDeps): ShareStore {
  if (!deps.shares) throw new BulwarkError('HTTP_NOT_FOUND');
  return deps.shares;
}

/** The server a share path names, after the scope check (so unknown and hidden look the same). */
export async function sharedServer(deps: HubDeps, identity: Identity, anyOf: readonly string[], params: Params): Promise<SharedServer> {
  const serverName = params.server_name ?? '';
  const owner = await deps.users.get(params.owner);
  const groups = owner ? await deps.users.groupsOf(owner.id) : [];
  const target: ScopeTarget = { user: params.owner, server: `${params.owner}/${serverName}`, groups };
  requireScope(identity, anyOf, target);
  const serverId = owner ? await storeOf(deps).serverId(owner.id, serverName) : undefined;
  if (!owner || serverId === undefined) throw new BulwarkError('HUB_API_NOT_FOUND', { detail: `No such server: ${params.owner}/${serverName}` });
  return { owner, serverName, serverId, target };
}

/**
 * Requested scopes, each filtered to this server: unfiltered ones get the filter, others must
 * already carry it. Only server permissions the caller holds on this server can be given.
 */
export function shareScopes(identity: Identity, raw: unknown, server: SharedServer): string[] {
  const filter = `server=${server.owner.name}/${server.serverName}`;
  const requested = raw === undefined || raw === null ? ['access:servers'] : stringList(raw, 'scopes');
  const scopes = requested.map((scope) => {
    const parsed = parseScope(scope);
    if (!isKnownScope(parsed.name) || !SHAREABLE.has(parsed.name)) {
      throw new BulwarkError('HUB_API_INVALID', { detail: `Scope ${scope} cannot be shared; only ${[...SHAREABLE].join(', ')} on the server` });
    }
    if (scope.includes('!') && !scope.endsWith(`!${filter}`)) {
      throw new BulwarkError('HUB_API_INVALID', { detail: `Scope ${scope} is not limited to ${filter}` });
    }
    return `${parsed.name}!${filter}`;
  });
  const missing = scopes.filter((scope) => !grants(identity.scopes, parseScope(scope).name, server.target));
  if (missing.length > 0) {
    throw new BulwarkError('HUB_API_INVALID', { detail: `Not assigning requested scopes ${missing.join(', ')} not held by ${identity.service ? 'Service' : 'User'} ${identity.user.name}` });
  }
  return [...new Set(scopes)];
}

/**
 * The caller and the owner named in `/shares/{owner}` or `/share-codes/{owner}`, once the caller
 * may read that owner's shares: an owner the caller may not see answers as if unknown.
 */
export async function shareListingOwner(request: FastifyRequest, deps: HubDeps): Promise<{ identity: Identity; owner: User }> {
  const identity = await requireIdentity(request, deps);
  const { owner: name } = request.params as Params;
  const owner = await deps.users.get(name);
  requireScope(identity, ['read:shares'], { user: name, groups: owner ? await deps.users.groupsOf(owner.id) : [] });
  if (!owner) throw new BulwarkError('IDENTITY_USER_NOT_FOUND', { name });
  return { identity, owner };
}
