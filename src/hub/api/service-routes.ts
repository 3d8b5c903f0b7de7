import { BulwarkError } from '../../errors/index.js';
import { grants, holdsAny } from '../../identity/index.js';
import type { HubDeps } from '../hub-deps.js';
import { requireIdentity, requireScope } from '../request-context.js';
import type { ApiRegistry } from './api-registry.js';
import { registerRuntimeServiceRoutes } from './runtime-service-routes.js';
import { serviceModel } from './service-model.js';

export function registerServiceRoutes(api: ApiRegistry, deps: HubDeps): void {
  api.route(
    {
      method: 'GET',
      path: '/services',
      summary: 'List services (an object keyed by name, not paginated)',
      scopes: ['list:services'],
      responses: { 200: 'name \u2192 Service model', 403: 'No list:services scope' },
    },
    async (request) => {
      const identity = await requireIdentity(request, deps);
      if (!holdsAny(identity.scopes, 'list:services')) throw new BulwarkError('AUTH_MISSING_SCOPE', { scopes: 'list:services' });
      const result: Record<string, unknown> = {};
      for (const service of deps.serviceRegistry.list()) {
        if (!grants(identity.scopes, 'list:services', { service: service.name })) continue;
        const model = serviceModel(deps, service, identity.scopes);
        if (model) result[service.name] = model;
      }
      return result;
    },
  );

  const readScopes = ['read:services', 'read:services:name', 'read:roles:services'];
  api.route(
    {
      method: 'GET',
      path: '/services/{name}',
      summary: 'Get a service by name',
      scopes: readScopes,
      responses: { 200: 'Service model', 404: 'No such service' },
    },
    async (request) => {
      const identity = await requireIdentity(request, deps);
      const name = (request.params as { name: string }).name;
      requireScope(identity, readScopes, { service: name });
      const service = deps.serviceRegistry.get(name);
      const model = service ? serviceModel(deps, service, identity.scopes) : undefined;
      if (!model) throw new BulwarkError('HUB_API_NOT_FOUND', { detail: `No such service: ${name}` });
      return model;
    },
  );

  registerRuntimeServiceRoutes(api, deps);
}
