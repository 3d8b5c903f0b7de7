import type { IncomingHttpHeaders } from 'node:http';
import {
  expandScopes,
  intersectScopes,
  type RoleBook,
  type Session,
  type SessionStore,
  type TokenRecord,
  type TokenStore,
  type User,
  type UserStore,
} from '../../identity/index.js';
import { parseCookies } from '../../web/index.js';
import type { ShareStore } from '../api/share-store.js';
import type { OAuthStore } from '../oauth/oauth-store.js';
import type { HubService, ServiceRegistry } from '../services/service-registry.js';
import { HUB_LOGIN_COOKIE } from './cookie-names.js';

/** Who is calling and what they may do, resolved once per request. */
export interface Identity {
  user: User;
  via: 'token' | 'cookie';
  token?: TokenRecord;
  session?: Session;
  /** Expanded, effective scopes: a token's scopes intersected with its owner's. */
  scopes: Set<string>;
  /** Set when a service calls with its API token; `user` then stands in for it (id -1, the service's name). */
  service?: HubService;
}

/** `Authorization: token X` or `bearer X`, case-insensitive, as JupyterHub accepts. */
export function tokenFromHeaders(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.authorization;
  if (!header) return undefined;
  const match = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export interface IdentifyDeps {
  tokens: TokenStore;
  sessions: SessionStore;
  oauth: OAuthStore;
  users: Pick<UserStore, 'groupsOf' | 'touch'>;
  roles: RoleBook;
  serviceRegistry: ServiceRegistry;
  /** Shares granted to users and groups; without it nobody holds shared scopes. */
  shares?: Pick<ShareStore, 'scopesOf'>;
}

/**
 * A service has no user row; handlers that only need a name, an admin flag and an id that
 * matches no user get this stand-in. Scope checks use the service's own scopes.
 */
function serviceIdentity(service: HubService, registry: ServiceRegistry): Identity {
  const user: User = {
    id: -1,
    name: service.name,
    admin: service.admin,
    authorized: true,
    email: null,
    hasPassword: false,
    cookieId: '',
    failedLogins: 0,
    lockedUntil: null,
    createdAt: '',
    lastActivity: null,
  };
  return { user, via: 'token', service, scopes: registry.scopesOf(service) };
}

/**
 * The user's own scopes: their roles and their groups' roles, `!group=` filters left for check
 * time, plus what other users shared with them or their groups (JupyterHub 5 sharing).
 */
async function ownerScopes(user: User, deps: IdentifyDeps): Promise<Set<string>> {
  const scopes = deps.roles.userScopes(user, await deps.users.groupsOf(user.id));
  if (deps.shares) for (const scope of await deps.shares.scopesOf(user.id)) scopes.add(scope);
  return scopes;
}

/** The server a token is bound to, for `!server` filters: its OAuth client's server. */
async function tokenServer(record: TokenRecord, user: User, oauth: OAuthStore): Promise<string | undefined> {
  if (record.oauthClientId === null) return undefined;
  const client = await oauth.getClient(record.oauthClientId);
  if (!client || client.serverName === null) return undefined;
  return `${user.name}/${client.serverName}`;
}

/** JupyterHub's activity_resolution: token and user last_activity move at most this often. */
const ACTIVITY_RESOLUTION_MS = 30_000;

/**
 * A token in use is activity of its owner (what the culler and the admin page show), except a
 * server's own token: a server reporting in is not its user being active.
 */
async function noteTokenUse(record: TokenRecord, user: User, deps: IdentifyDeps): Promise<void> {
  const now = Date.now();
  if (record.lastActivity !== null && now - Date.parse(record.lastActivity) < ACTIVITY_RESOLUTION_MS) return;
  const when = new Date(now).toISOString();
  await deps.tokens.touch(record.id, when);
  if (!record.note.startsWith('Server at ') && (user.lastActivity === null || user.lastActivity < when)) await deps.users.touch(user.id, when);
}

export async function tokenIdentity(token: string, deps: IdentifyDeps): Promise<Identity | undefined> {
  const found = await deps.tokens.authenticate(token);
  if (!found) return undefined;
  const { record, user } = found;
  await noteTokenUse(record, user, deps);
  const owner = await ownerScopes(user, deps);
  const server = await tokenServer(record, user, deps.oauth);
  const requested = expandScopes(record.scopes, { kind: 'user', name: user.name, ...(server ? { server } : {}) }, owner);
  return { user, via: 'token', token: record, scopes: intersectScopes(requested, owner) };
}

/**
 * Resolves the caller from a token header first, then the hub login cookie. Unknown, expired or
 * revoked credentials give undefined; callers answer 403, as JupyterHub does.
 */
export async function identify(headers: IncomingHttpHeaders, deps: IdentifyDeps): Promise<Identity | undefined> {
  const token = tokenFromHeaders(headers);
  if (token !== undefined) {
    const service = deps.serviceRegistry.authenticate(token);
    return service ? serviceIdentity(service, deps.serviceRegistry) : tokenIdentity(token, deps);
  }
  const cookie = parseCookies(headers.cookie).get(HUB_LOGIN_COOKIE);
  if (cookie === undefined) return undefined;
  const found = await deps.sessions.resolve(cookie);
  if (!found) return undefined;
  return { user: found.user, via: 'cookie', session: found.session, scopes: await ownerScopes(found.user, deps) };
}
