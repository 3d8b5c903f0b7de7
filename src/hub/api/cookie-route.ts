import { BulwarkError } from '../../errors/index.js';
import { HUB_LOGIN_COOKIE } from '../auth/cookie-names.js';
import type { HubDeps } from '../hub-deps.js';
import { requireIdentity } from '../request-context.js';
import type { ApiRegistry } from './api-registry.js';
import { visibleUserModel } from './user-context.js';

/**
 * JupyterHub 3.0's deprecated cookie lookup (CookieAPIHandler, still served there with a warning):
 * only an API token may ask, and the answer is the user model of the browser session behind the
 * hub's login cookie, as the caller's scopes let it see it. Bulwark's login cookie holds a random
 * session id rather than a signed user id, so the lookup resolves the session; any other cookie
 * name, or a session that is unknown or over, is a 404.
 */
export function registerCookieRoute(api: ApiRegistry, deps: HubDeps): void {
  api.route(
    {
      method: 'GET',
      path: '/authorizations/cookie/{cookie_name}/{cookie_value}',
      summary: 'Identify the user of a hub login cookie (deprecated since JupyterHub 2.0; use GET /user with OAuth)',
      scopes: [],
      responses: { 200: "The cookie's user model", 403: 'Not called with an API token', 404: 'Unknown cookie' },
    },
    async (request) => {
      const identity = await requireIdentity(request, deps);
      if (identity.via !== 'token') throw new BulwarkError('AUTH_REQUIRED');
      deps.logger.warn({ caller: identity.user.name }, '/authorizations/cookie endpoint is deprecated in JupyterHub 2.0. Use /api/user with OAuth tokens.');
      const { cookie_name: name, cookie_value: value } = request.params as { cookie_name: string; cookie_value: string };
      const found = name === HUB_LOGIN_COOKIE ? await deps.sessions.resolve(value) : undefined;
      if (!found) throw new BulwarkError('HTTP_NOT_FOUND');
      const model = await visibleUserModel(deps, found.user, identity.scopes, false);
      // Only kind and name (always present) means no scope on this user: do not reveal the session.
      if (Object.keys(model).length <= 2) throw new BulwarkError('HTTP_NOT_FOUND');
      return model;
    },
  );
}
