import { BulwarkError } from '../../errors/index.js';
import type { ApiRegistry } from '../api/api-registry.js';
import { requireObjectBody } from '../api/request-body.js';
import type { HubDeps } from '../hub-deps.js';
import { checkApiXsrf, requireIdentity, requireScope } from '../request-context.js';
import type { NativeAuthenticator } from './native-authenticator.js';

/**
 * `POST /hub/api/users/{name}/password` (Bulwark extension): an admin sets a user's password, for
 * example the initial one after `POST /hub/api/users/{name}`. JupyterHub has no such endpoint,
 * which is why users created in its admin panel could never log in with nativeauthenticator.
 */
export function registerPasswordApiRoute(api: ApiRegistry, deps: HubDeps, authenticator: NativeAuthenticator): void {
  api.route(
    {
      method: 'POST',
      path: '/users/{name}/password',
      summary: "Set a user's password (Bulwark extension; native authenticator)",
      scopes: ['admin:users'],
      body: '{"password": string} \u2014 checked against authenticator.native password rules; ends the user\'s sessions',
      responses: { 204: 'Password set', 400: 'The password breaks the rules', 403: 'No admin:users scope', 404: 'No such user' },
    },
    async (request, reply) => {
      const identity = await requireIdentity(request, deps);
      const name = (request.params as { name: string }).name;
      const target = await deps.users.get(name);
      requireScope(identity, ['admin:users'], target ? { user: target.name, groups: await deps.users.groupsOf(target.id) } : undefined);
      checkApiXsrf(request, identity, deps);
      if (!target) throw new BulwarkError('HUB_API_NOT_FOUND', { detail: `No such user: ${name}` });
      const password = requireObjectBody(request)['password'];
      if (typeof password !== 'string') throw new BulwarkError('HUB_API_INVALID', { detail: 'password must be a string' });
      if (target.admin && !identity.user.admin) throw new BulwarkError('HUB_API_FORBIDDEN', { detail: 'Only admins can modify other admins' });
      await authenticator.setPasswordAsAdmin(target, password, password, { name: identity.user.name, ip: request.ip });
      return reply.code(204).send();
    },
  );
}
