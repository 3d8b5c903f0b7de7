import type { IncomingHttpHeaders } from 'node:http';
import {
  expandScopes,
  intersectScopes,
  userScopes,
  type Session,
  type SessionStore,
  type TokenRecord,
  type TokenStore,
  type User,
} from '../../identity/index.js';
import { parseCookies } from '../../web/index.js';
import type { OAuthStore } from '../oauth/oauth-store.js';
import { HUB_LOGIN_COOKIE } from './cookie-names.js';

/** Who is calling and what they may do, resolved once per request. */
export interface Identity {
  user: User;
  via: 'token' | 'cookie';
  token?: TokenRecord;
  session?: Session;
  /** Expanded, effective scopes: a token's scopes intersected with its owner's. */
  scopes: Set<string>;
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
}

/** The server a token is bound to, for `!server` filters: its OAuth client's server. */
async function tokenServer(record: TokenRecord, user: User, oauth: OAuthStore): Promise<string | undefined> {
  if (record.oauthClientId === null) return undefined;
  const client = await oauth.getClient(record.oauthClientId);
  if (!client || client.serverName === null) return undefined;
  return `${user.name}/${client.serverName}`;
}

export async function tokenIdentity(token: string, deps: IdentifyDeps): Promise<Identity | undefined> {
  const found = await deps.tokens.authenticate(token);
  if (!found) return undefined;
  const { record, user } = found;
  const owner = userScopes(user);
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
  if (token !== undefined) return tokenIdentity(token, deps);
  const cookie = parseCookies(headers.cookie).get(HUB_LOGIN_COOKIE);
  if (cookie === undefined) return undefined;
  const found = await deps.sessions.resolve(cookie);
  if (!found) return undefined;
  return { user: found.user, via: 'cookie', session: found.session, scopes: userScopes(found.user) };
}
