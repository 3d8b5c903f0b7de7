import type { FastifyRequest } from 'fastify';
import { BulwarkError } from '../../errors/index.js';
import { grants } from '../../identity/index.js';
import type { ApiRegistry } from '../api/api-registry.js';
import type { Identity } from '../auth/identify.js';
import type { HubDeps } from '../hub-deps.js';
import type { OAuthClient } from './oauth-store.js';
import { identityOf } from '../request-context.js';

interface AuthorizeQuery {
  client_id?: string;
  redirect_uri?: string;
  response_type?: string;
  state?: string;
  scope?: string;
}

/** Lifetime of OAuth access tokens: JupyterHub's default, cookie_max_age_days. */
function accessTokenSeconds(deps: HubDeps): number {
  return Math.round(deps.config.hub.cookie_max_age_days * 86400);
}

function withQuery(base: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) query.set(key, value);
  return `${base}${base.includes('?') ? '&' : '?'}${query.toString()}`;
}

/**
 * The OAuth 2 authorization-code provider that single-user servers use to log browsers in. Only
 * the user's own servers (or an admin's access) are authorized; the consent page is skipped for
 * one's own server, as in JupyterHub.
 */
/**
 * What the access token will carry: access to the server or service the client stands for, plus
 * identifying the user and the client's allowed scopes the user holds. Throws if the user may not
 * use that server or service.
 */
async function grantedScopes(deps: HubDeps, identity: Identity, client: OAuthClient): Promise<string[]> {
  const identify = ['read:users:name!user', 'read:users:groups!user'];
  // Allowed scopes the user lacks are dropped when the token is used (intersection with the owner).
  const allowed = client.allowedScopes;
  const service = deps.serviceRegistry.byClientId(client.identifier);
  if (service) {
    if (!grants(identity.scopes, 'access:services', { service: service.name })) {
      deps.logger.warn({ user: identity.user.name, service: service.name }, 'not allowed to access service');
      throw new BulwarkError('HUB_OAUTH_FORBIDDEN', { description: client.description });
    }
    return [`access:services!service=${service.name}`, ...identify, ...allowed];
  }
  const owner = client.userId === null ? undefined : await deps.users.getById(client.userId);
  const server = owner ? `${owner.name}/${client.serverName ?? ''}` : undefined;
  if (!owner || !server || !grants(identity.scopes, 'access:servers', { user: owner.name, server })) {
    deps.logger.warn({ user: identity.user.name, client: client.identifier }, 'not allowed to access server');
    throw new BulwarkError('HUB_OAUTH_FORBIDDEN', { description: client.description });
  }
  return [`access:servers!server=${server}`, ...identify, ...client.allowedScopes];
}

export function registerOAuthRoutes(api: ApiRegistry, deps: HubDeps): void {
  const authorizeSpec = {
    method: 'GET',
    path: '/oauth2/authorize',
    summary: 'OAuth 2 authorization (browser; redirects with a code)',
    scopes: [],
    query: ['client_id', 'redirect_uri', 'response_type', 'state', 'scope'],
    responses: { 302: 'To redirect_uri with code and state, or to the login page', 400: 'Unknown client or redirect_uri', 403: 'No access to that server or service' },
  } as const;
  api.route(authorizeSpec, async (rawRequest, reply) => {
    const request = rawRequest as FastifyRequest<{ Querystring: AuthorizeQuery }>;
    const identity = await identityOf(request, deps);
    if (!identity || identity.via !== 'cookie') {
      return reply.redirect(withQuery(deps.paths.hubUrl('login'), { next: request.url }), 302);
    }
    const query = request.query;
    const client = query.client_id ? await deps.oauth.getClient(query.client_id) : undefined;
    if (!client) throw new BulwarkError('HUB_OAUTH_INVALID_CLIENT', { detail: 'unknown client_id' });
    const redirectUri = query.redirect_uri ?? client.redirectUri;
    if (redirectUri !== client.redirectUri) throw new BulwarkError('HUB_OAUTH_INVALID_CLIENT', { detail: 'redirect_uri does not match' });
    if (query.response_type !== 'code') {
      return reply.redirect(
        withQuery(redirectUri, {
          error: query.response_type ? 'unsupported_response_type' : 'invalid_request',
          error_description: query.response_type ? 'Only response_type=code is supported.' : 'Missing response_type parameter.',
          state: query.state,
        }),
        302,
      );
    }
    const scopes = await grantedScopes(deps, identity, client);
    const code = await deps.oauth.issueCode({
      clientId: client.identifier,
      userId: identity.user.id,
      sessionPublicId: identity.session?.publicId ?? null,
      scopes,
      redirectUri,
    });
    return reply.redirect(withQuery(redirectUri, { code, state: query.state }), 302);
  });

  const tokenSpec = {
    method: 'POST',
    path: '/oauth2/token',
    summary: 'OAuth 2 token endpoint (form-encoded client credentials and code)',
    scopes: [],
    body: 'application/x-www-form-urlencoded: client_id, client_secret, grant_type, code, redirect_uri',
    responses: { 200: '{access_token, token_type, expires_in, scope}', 400: 'Bad grant', 401: 'Bad client credentials' },
  } as const;
  api.route(tokenSpec, async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, string | undefined>;
    reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
    const fail = (status: number, error: string, description?: string) =>
      reply.code(status).send({ error, ...(description ? { error_description: description } : {}) });
    if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
      return fail(400, 'unsupported_grant_type');
    }
    if (form['grant_type'] !== 'authorization_code') return fail(400, 'unsupported_grant_type');
    const clientId = form['client_id'];
    if (!clientId || !form['client_secret'] || !(await deps.oauth.checkClientSecret(clientId, form['client_secret']))) {
      return fail(401, 'invalid_client');
    }
    const grant = form['code'] ? await deps.oauth.consumeCode(form['code'], clientId) : undefined;
    if (!grant || (form['redirect_uri'] !== undefined && form['redirect_uri'] !== grant.redirectUri)) {
      return fail(400, 'invalid_grant');
    }
    const user = await deps.users.getById(grant.userId);
    if (!user) return fail(400, 'invalid_grant');
    const expiresIn = accessTokenSeconds(deps);
    const { token } = await deps.tokens.create(
      {
        owner: user,
        kind: 'oauth',
        scopes: grant.scopes,
        note: `OAuth token for ${clientId}`,
        expiresInSeconds: expiresIn,
        sessionId: grant.sessionPublicId,
        oauthClientId: clientId,
      },
      { name: user.name },
    );
    return reply.code(200).send({ access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope: grant.scopes.join(' ') });
  });
}
