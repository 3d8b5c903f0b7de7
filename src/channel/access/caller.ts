import type { FastifyRequest } from 'fastify';
import { BulwarkError } from '../../errors/index.js';
import { expandScopes, intersectScopes, userScopes, type TokenStore, type User } from '../../identity/index.js';
import { tokenFromAuthorization } from './credentials.js';

/** Who is calling the channel and with which (expanded, effective) scopes. */
export interface Caller {
  user: User;
  scopes: Set<string>;
}

const callers = new WeakMap<FastifyRequest, Promise<Caller | null | undefined>>();

async function resolve(request: FastifyRequest, tokens: TokenStore): Promise<Caller | null | undefined> {
  const token = tokenFromAuthorization(request.headers);
  if (token === undefined || token === null) return token;
  const found = await tokens.authenticate(token);
  if (!found) return null;
  const owner = userScopes(found.user);
  const requested = expandScopes(found.record.scopes, { kind: 'user', name: found.user.name }, owner);
  await tokens.touch(found.record.id);
  return { user: found.user, scopes: intersectScopes(requested, owner) };
}

/** The caller, resolved once per request: undefined without credentials, null for bad ones. */
export function callerOf(request: FastifyRequest, tokens: TokenStore): Promise<Caller | null | undefined> {
  let found = callers.get(request);
  if (!found) {
    found = resolve(request, tokens);
    callers.set(request, found);
  }
  return found;
}

/**
 * Requires a token holding `scope`. No or unreadable credentials give 401 (with a Basic
 * challenge, so pip and twine know to send them); a valid token without the scope gives 403.
 */
export async function requireScope(request: FastifyRequest, tokens: TokenStore, scope: string, action: string): Promise<Caller> {
  const caller = await callerOf(request, tokens);
  if (caller === undefined) throw new BulwarkError('CHANNEL_AUTH_REQUIRED', { detail: `send a token with the ${scope} scope (user __token__)` });
  if (caller === null) throw new BulwarkError('CHANNEL_AUTH_REQUIRED', { detail: 'the token is unknown, expired or malformed' });
  if (!caller.scopes.has(scope)) throw new BulwarkError('CHANNEL_SCOPE_MISSING', { action, scope });
  return caller;
}
