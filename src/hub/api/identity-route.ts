import type { FastifyInstance } from 'fastify';
import { BulwarkError } from '../../errors/index.js';
import type { HubDeps } from '../hub-deps.js';
import { identityOf } from '../request-context.js';
import { userModel } from './user-model.js';

/**
 * `GET /hub/api/user`: the one identity call single-user servers make. Unknown tokens answer
 * 403 — never 401 or 404, which crash notebook 6's auth handling.
 */
export function registerIdentityRoute(app: FastifyInstance, deps: HubDeps): void {
  app.get(`${deps.paths.api}/user`, async (request) => {
    const identity = await identityOf(request, deps);
    if (!identity) throw new BulwarkError('AUTH_REQUIRED');
    const groups = await deps.users.groupsOf(identity.user.id);
    // Identifying oneself is always allowed, on top of whatever the credential grants.
    const visible = new Set(identity.scopes);
    visible.add(`read:users:name!user=${identity.user.name}`);
    visible.add(`read:users:groups!user=${identity.user.name}`);
    const model = userModel(identity.user, {
      scopes: visible,
      groups,
      server: deps.servers.view(identity.user),
      paths: deps.paths,
    });
    if (identity.token) await deps.tokens.touch(identity.token.id);
    return {
      ...model,
      admin: identity.user.admin,
      groups,
      session_id: identity.token?.sessionId ?? identity.session?.publicId ?? null,
      token_id: identity.token?.publicId ?? null,
      scopes: [...identity.scopes].sort(),
    };
  });
}
