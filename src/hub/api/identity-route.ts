import { BulwarkError } from '../../errors/index.js';
import type { HubDeps } from '../hub-deps.js';
import { identityOf } from '../request-context.js';
import type { ApiRegistry } from './api-registry.js';
import { visibleUserModel } from './user-context.js';

/**
 * `GET /hub/api/user`: the one identity call single-user servers and services make. Unknown
 * tokens answer 403 - never 401 or 404, which HubAuth and notebook 6 treat as server errors.
 */
export function registerIdentityRoute(api: ApiRegistry, deps: HubDeps): void {
  api.route(
    {
      method: 'GET',
      path: '/user',
      summary: 'The identity of the caller (user model + scopes)',
      scopes: [],
      responses: { 200: 'User model limited by the credential, plus scopes, session_id, token_id', 403: 'No valid credential' },
    },
    async (request) => {
      const identity = await identityOf(request, deps);
      if (!identity) throw new BulwarkError('AUTH_REQUIRED');
      if (identity.service) {
        const { service } = identity;
        return {
          kind: 'service',
          name: service.name,
          admin: service.admin,
          roles: deps.roles.serviceRoles(service.name, service.admin),
          session_id: null,
          token_id: null,
          scopes: [...identity.scopes].sort(),
        };
      }
      // Identifying oneself is always allowed, on top of whatever the credential grants.
      const visible = new Set(identity.scopes);
      visible.add(`read:users:name!user=${identity.user.name}`);
      visible.add(`read:users:groups!user=${identity.user.name}`);
      const model = await visibleUserModel(deps, identity.user, visible, false);
      if (identity.token) await deps.tokens.touch(identity.token.id);
      return {
        ...model,
        session_id: identity.token?.sessionId ?? identity.session?.publicId ?? null,
        token_id: identity.token?.publicId ?? null,
        scopes: [...identity.scopes].sort(),
      };
    },
  );
}
