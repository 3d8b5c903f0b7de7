import type { FastifyReply, FastifyRequest } from 'fastify';
import { BulwarkError } from '../errors/index.js';
import { grants, holdsAny, type ScopeTarget } from '../identity/index.js';
import { expireCookie, parseCookies, serializeCookie } from '../web/index.js';
import { HUB_LOGIN_COOKIE, SESSION_ID_COOKIE, XSRF_COOKIE } from './auth/cookie-names.js';
import { identify, type Identity } from './auth/identify.js';
import type { HubDeps } from './hub-deps.js';

const identities = new WeakMap<FastifyRequest, Promise<Identity | undefined>>();

/** The caller of this request, resolved at most once. */
export function identityOf(request: FastifyRequest, deps: HubDeps): Promise<Identity | undefined> {
  let found = identities.get(request);
  if (!found) {
    found = identify(request.headers, deps);
    identities.set(request, found);
  }
  return found;
}

export async function requireIdentity(request: FastifyRequest, deps: HubDeps): Promise<Identity> {
  const identity = await identityOf(request, deps);
  if (!identity) throw new BulwarkError('AUTH_REQUIRED');
  return identity;
}

/**
 * JupyterHub's access rule: a caller with none of the scopes gets 403; one who holds a scope only
 * for other resources gets 404, so the existence of the target is not revealed.
 */
export function requireScope(identity: Identity, anyOf: readonly string[], target?: ScopeTarget): void {
  if (anyOf.some((scope) => grants(identity.scopes, scope, target))) return;
  if (anyOf.some((scope) => holdsAny(identity.scopes, scope))) throw new BulwarkError('HUB_NOT_FOUND_OR_NO_ACCESS');
  throw new BulwarkError('AUTH_MISSING_SCOPE', { scopes: anyOf.join(', ') });
}

/** The browser's XSRF cookie, set on first sight, and the token pages embed in their forms. */
export function xsrfToken(request: FastifyRequest, reply: FastifyReply, deps: HubDeps): string {
  let cookie = parseCookies(request.headers.cookie).get(XSRF_COOKIE);
  if (!cookie || !/^[A-Za-z0-9_-]{20,64}$/.test(cookie)) {
    cookie = deps.xsrf.newCookieValue();
    reply.header('set-cookie', serializeCookie(XSRF_COOKIE, cookie, { path: deps.paths.hub, secure: deps.tls }));
  }
  return deps.xsrf.tokenFor(cookie);
}

/** State-changing browser requests must carry the token from the form or the X-XSRFToken header. */
export function checkXsrf(request: FastifyRequest, deps: HubDeps): void {
  const cookie = parseCookies(request.headers.cookie).get(XSRF_COOKIE);
  const body = request.body as Record<string, unknown> | undefined;
  const fromBody = body && typeof body['_xsrf'] === 'string' ? body['_xsrf'] : undefined;
  const header = request.headers['x-xsrftoken'] ?? request.headers['x-csrftoken'];
  const token = fromBody ?? (typeof header === 'string' ? header : undefined);
  if (!deps.xsrf.check(cookie, token)) throw new BulwarkError('HUB_XSRF_FAILED');
}

/** Cookie-authenticated API calls that change state need XSRF; token-authenticated ones do not. */
export function checkApiXsrf(request: FastifyRequest, identity: Identity, deps: HubDeps): void {
  if (identity.via === 'cookie' && !['GET', 'HEAD', 'OPTIONS'].includes(request.method)) checkXsrf(request, deps);
}

export function loginCookies(deps: HubDeps, cookieValue: string, sessionPublicId: string): string[] {
  const maxAge = deps.config.hub.cookie_max_age_days * 86400;
  return [
    serializeCookie(HUB_LOGIN_COOKIE, cookieValue, { path: deps.paths.hub, maxAgeSeconds: maxAge, secure: deps.tls }),
    serializeCookie(SESSION_ID_COOKIE, sessionPublicId, { path: deps.paths.base, secure: deps.tls }),
  ];
}

export function logoutCookies(deps: HubDeps): string[] {
  return [
    expireCookie(HUB_LOGIN_COOKIE, deps.paths.hub, deps.tls),
    expireCookie(SESSION_ID_COOKIE, deps.paths.base, deps.tls),
    expireCookie(XSRF_COOKIE, deps.paths.hub, deps.tls),
  ];
}

export function clientIp(request: FastifyRequest): string {
  return request.ip;
}
