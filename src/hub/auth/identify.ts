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
  /** Expanded, effective scopes: a token's scopes intersected with its owner's. Shared between requests: never changed. */
  scopes: ReadonlySet<string>;
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
  shares?: Pick<ShareStore, 'groupsAndScopesOf'>;
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

/** What a user's scopes are computed from, read fresh from the database on every request. */
interface OwnerFacts {
  user: User;
  groups: string[];
  shared: readonly string[];
}

type OwnerFactsDeps = Pick<IdentifyDeps, 'users' | 'shares'>;

async function ownerFacts(user: User, deps: OwnerFactsDeps): Promise<OwnerFacts> {
  // With shares, the groups come in the same query as the shared scopes (one query per request fewer).
  if (deps.shares) return { user, ...(await deps.shares.groupsAndScopesOf(user.id)) };
  return { user, groups: await deps.users.groupsOf(user.id), shared: [] };
}

/**
 * The user's own scopes: their roles and their groups' roles, `!group=` filters left for check
 * time, plus what other users shared with them or their groups (JupyterHub 5 sharing).
 */
function ownerScopes(facts: OwnerFacts, roles: RoleBook): Set<string> {
  const scopes = roles.userScopes(facts.user, facts.groups);
  for (const scope of facts.shared) scopes.add(scope);
  return scopes;
}

/** What a user holds (as their own browser session would), read fresh: the ceiling of tokens issued for them. */
export async function userOwnScopes(user: User, deps: OwnerFactsDeps & Pick<IdentifyDeps, 'roles'>): Promise<Set<string>> {
  return ownerScopes(await ownerFacts(user, deps), deps.roles);
}

/**
 * Effective scopes are a pure function of facts read on every request (the user's name and admin
 * flag, groups, shares; the token's raw scopes and server) and of the role book, which is fixed
 * for a hub. Expanding and intersecting them cost more than the request's database reads, so the
 * result is remembered per role book under a key holding every one of those inputs: a revoked
 * share, a group left or an admin flag dropped changes the key at once. The sets are shared
 * between requests, hence Identity.scopes is a ReadonlySet: the type system keeps them unchanged.
 */
const SCOPE_MEMO_LIMIT = 5000;
const scopeMemos = new WeakMap<RoleBook, Map<string, ReadonlySet<string>>>();

function rememberedScopes(roles: RoleBook, key: string, compute: () => Set<string>): ReadonlySet<string> {
  let memo = scopeMemos.get(roles);
  if (memo === undefined) scopeMemos.set(roles, (memo = new Map()));
  let scopes = memo.get(key);
  if (scopes === undefined) {
    scopes = compute();
    if (memo.size >= SCOPE_MEMO_LIMIT) memo.clear();
    memo.set(key, scopes);
  }
  return scopes;
}

const factsKey = (facts: OwnerFacts) => JSON.stringify([facts.user.name, facts.user.admin, facts.groups, facts.shared]);

/** A browser session's scopes: the user's own. */
function sessionScopes(facts: OwnerFacts, roles: RoleBook): ReadonlySet<string> {
  return rememberedScopes(roles, `session\u0000${factsKey(facts)}`, () => ownerScopes(facts, roles));
}

/** A token's scopes: its raw scopes expanded for its owner (and server), within what the owner holds. */
function tokenScopes(record: TokenRecord, facts: OwnerFacts, server: string | undefined, roles: RoleBook): ReadonlySet<string> {
  const key = `token\u0000${factsKey(facts)}\u0000${server ?? ''}\u0000${JSON.stringify(record.scopes)}`;
  return rememberedScopes(roles, key, () => {
    const owner = ownerScopes(facts, roles);
    const requested = expandScopes(record.scopes, { kind: 'user', name: facts.user.name, ...(server !== undefined ? { server } : {}) }, owner);
    return intersectScopes(requested, owner);
  });
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
  const facts = await ownerFacts(user, deps);
  const server = await tokenServer(record, user, deps.oauth);
  return { user, via: 'token', token: record, scopes: tokenScopes(record, facts, server || undefined, deps.roles) };
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
  return { user: found.user, via: 'cookie', session: found.session, scopes: sessionScopes(await ownerFacts(found.user, deps), deps.roles) };
}
