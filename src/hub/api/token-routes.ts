import type { FastifyRequest } from 'fastify';
import { BulwarkError } from '../../errors/index.js';
import { expandScopes, grants, intersectScopes, isoNow, validateScopes, type User } from '../../identity/index.js';
import { userOwnScopes, type Identity } from '../auth/identify.js';
import type { NativeAuthenticator } from '../auth/native-authenticator.js';
import type { HubDeps } from '../hub-deps.js';
import { checkApiXsrf, identityOf, requireIdentity } from '../request-context.js';
import type { ApiRegistry } from './api-registry.js';
import { objectBody, stringList } from './request-body.js';
import { registerCookieRoute } from './cookie-route.js';
import { tokenModel } from './token-model.js';
import { authorizedUser } from './user-context.js';

type Params = { name: string; token_id?: string };

/**
 * Who asks for a new token: a credential that holds `tokens` on the owner, or - without any
 * credential - the owner's own username and password in the body (`{"auth": {...}}`).
 */
async function tokenRequester(request: FastifyRequest, deps: HubDeps, authenticator: NativeAuthenticator, name: string): Promise<{ requester: Identity | User; owner: User }> {
  const denied = () => new BulwarkError('HUB_API_FORBIDDEN', { detail: `User ${name} not found or no permissions to generate tokens` });
  const identity = await identityOf(request, deps);
  if (identity) {
    checkApiXsrf(request, identity, deps);
    const owner = await deps.users.get(name);
    const groups = owner ? await deps.users.groupsOf(owner.id) : [];
    if (!owner || !grants(identity.scopes, 'tokens', { user: owner.name, groups })) throw denied();
    return { requester: identity, owner };
  }
  const auth = objectBody(request)?.['auth'];
  if (!auth || typeof auth !== 'object' || Array.isArray(auth)) throw new BulwarkError('AUTH_REQUIRED');
  const { username, password } = auth as Record<string, unknown>;
  if (typeof username !== 'string' || typeof password !== 'string') throw new BulwarkError('AUTH_REQUIRED');
  const outcome = await authenticator.login(username, password, { name: username, ip: request.ip });
  if (!outcome.ok) throw new BulwarkError('AUTH_REQUIRED');
  if (outcome.user.name !== name) throw denied();
  return { requester: outcome.user, owner: outcome.user };
}

/** Requested scopes (and roles' scopes) that the owner does not hold are refused, as in JupyterHub. */
function checkScopesHeld(raw: string[], owner: User, ownerScopes: ReadonlySet<string>): void {
  validateScopes(raw);
  const requested = expandScopes(raw, { kind: 'user', name: owner.name }, ownerScopes);
  const held = intersectScopes(requested, ownerScopes);
  const missing = [...requested].filter((scope) => !held.has(scope));
  if (missing.length > 0) {
    throw new BulwarkError('HUB_API_INVALID', { detail: `Not assigning requested scopes ${missing.sort().join(', ')} not held by User ${owner.name}` });
  }
}

/**
 * hub.token_expires_in_max_seconds, as JupyterHub 5.1 applies it: no expiry asked for (or 0,
 * which means "never" here) gets the maximum, a longer one is refused. 0 turns the limit off.
 */
export function cappedExpiry(requested: number | null, max: number): number | null {
  if (max <= 0) return requested;
  if (requested === null) return max;
  if (requested > max) throw new BulwarkError('HUB_API_INVALID', { detail: `token expires_in: ${requested} must not exceed ${max}` });
  return requested;
}

function parseNewToken(body: Record<string, unknown>, deps: HubDeps): { note?: string; expiresIn: number | null; scopes: string[] } {
  const note = body['note'];
  if (note !== undefined && note !== null && typeof note !== 'string') throw new BulwarkError('HUB_API_INVALID', { detail: 'note must be a string' });
  const expires = body['expires_in'];
  if (expires !== undefined && expires !== null && (typeof expires !== 'number' || !Number.isInteger(expires) || expires < 0)) {
    throw new BulwarkError('HUB_API_INVALID', { detail: `expires_in must be an integer number of seconds, got ${JSON.stringify(expires)}` });
  }
  const scopes = body['scopes'] === undefined || body['scopes'] === null ? [] : stringList(body['scopes'], 'scopes');
  const roles = body['roles'] === undefined || body['roles'] === null ? [] : stringList(body['roles'], 'roles');
  for (const role of roles) {
    const definition = deps.roles.definitions.get(role);
    if (!definition) throw new BulwarkError('HUB_API_INVALID', { detail: `Role ${role} does not exist` });
    scopes.push(...definition.scopes);
  }
  return {
    ...(typeof note === 'string' ? { note } : {}),
    expiresIn: cappedExpiry(typeof expires === 'number' && expires > 0 ? expires : null, deps.config.hub.token_expires_in_max_seconds),
    // Neither scopes nor roles: the `token` role, i.e. everything the owner has.
    scopes: scopes.length === 0 && roles.length === 0 ? [...(deps.roles.definitions.get('token')?.scopes ?? ['inherit'])] : scopes,
  };
}

export function registerTokenRoutes(api: ApiRegistry, deps: HubDeps, authenticator: NativeAuthenticator): void {
  // The cookie lookup is a credential lookup too; it lives beside the tokens' routes.
  registerCookieRoute(api, deps);
  api.route(
    {
      method: 'GET',
      path: '/users/{name}/tokens',
      summary: "List a user's tokens",
      scopes: ['read:tokens'],
      responses: { 200: '{"api_tokens": [Token]}', 403: 'No read:tokens scope', 404: 'No such user' },
    },
    async (request) => {
      const identity = await requireIdentity(request, deps);
      const user = await authorizedUser(deps, identity, ['read:tokens'], (request.params as Params).name);
      const ownerScopes = await userOwnScopes(user, deps);
      const now = isoNow(deps.clock);
      const live = (await deps.tokens.list(user.name)).filter((record) => record.expiresAt === null || record.expiresAt > now);
      live.sort((a, b) => (b.lastActivity ?? b.createdAt).localeCompare(a.lastActivity ?? a.createdAt));
      return { api_tokens: await Promise.all(live.map((record) => tokenModel(deps, record, ownerScopes))) };
    },
  );

  api.route(
    {
      method: 'POST',
      path: '/users/{name}/tokens',
      summary: 'Create a new token for a user',
      scopes: ['tokens'],
      body: '{"note": str, "expires_in": int, "scopes": [str], "roles": [str], "auth": {"username", "password"}}',
      responses: { 201: 'The token model with the token value (shown once)', 400: 'Bad body or scopes the owner lacks', 403: 'No permission or bad credentials' },
    },
    async (request, reply) => {
      const name = (request.params as Params).name;
      const { requester, owner } = await tokenRequester(request, deps, authenticator, name);
      const body = objectBody(request) ?? {};
      const input = parseNewToken(body, deps);
      const ownerScopes = await userOwnScopes(owner, deps);
      checkScopesHeld(input.scopes, owner, ownerScopes);
      const requesterName = 'via' in requester ? requester.user.name : requester.name;
      const note = input.note ?? `Requested via api${requesterName === owner.name ? '' : ` by user ${requesterName}`}`;
      const { token, record } = await deps.tokens.create(
        { owner, scopes: input.scopes, note, expiresInSeconds: input.expiresIn },
        { name: requesterName, ip: request.ip },
      );
      return reply.code(201).send({ ...(await tokenModel(deps, record, ownerScopes)), token });
    },
  );

  api.route(
    {
      method: 'GET',
      path: '/users/{name}/tokens/{token_id}',
      summary: 'Get the model of one token',
      scopes: ['read:tokens'],
      responses: { 200: 'Token model', 404: 'No such user or token' },
    },
    async (request) => {
      const identity = await requireIdentity(request, deps);
      const { name, token_id: tokenId = '' } = request.params as Params;
      const user = await authorizedUser(deps, identity, ['read:tokens'], name);
      const record = await deps.tokens.get(tokenId);
      const now = isoNow(deps.clock);
      if (!record || record.userId !== user.id || (record.expiresAt !== null && record.expiresAt <= now)) {
        throw new BulwarkError('HUB_API_NOT_FOUND', { detail: `No such token ${tokenId} for user ${user.name}` });
      }
      return tokenModel(deps, record, await userOwnScopes(user, deps));
    },
  );

  api.route(
    {
      method: 'DELETE',
      path: '/users/{name}/tokens/{token_id}',
      summary: 'Revoke a token (an OAuth token revokes all of its client for that user)',
      scopes: ['tokens'],
      responses: { 204: 'Revoked', 404: 'No such user or token' },
    },
    async (request, reply) => {
      const identity = await requireIdentity(request, deps);
      checkApiXsrf(request, identity, deps);
      const { name, token_id: tokenId = '' } = request.params as Params;
      const user = await authorizedUser(deps, identity, ['tokens'], name);
      const record = await deps.tokens.get(tokenId);
      if (!record || record.userId !== user.id) throw new BulwarkError('HUB_API_NOT_FOUND', { detail: `No such token ${tokenId} for user ${user.name}` });
      const by = { name: identity.user.name, ip: request.ip };
      const siblings = record.oauthClientId === null ? [record] : (await deps.tokens.list(user.name)).filter((t) => t.oauthClientId === record.oauthClientId);
      for (const token of siblings) await deps.tokens.revoke(token.publicId, by);
      return reply.code(204).type('text/plain').send('');
    },
  );
}
