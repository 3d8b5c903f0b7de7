import { BulwarkError } from '../../errors/index.js';
import { grants, holdsAny } from '../../identity/index.js';
import type { HubDeps } from '../hub-deps.js';
import { requireIdentity, requireScope } from '../request-context.js';
import type { ApiRegistry } from './api-registry.js';

type ServiceConfig = HubDeps['config']['services'][number];

/** The service model with the fields the caller's scopes allow on this service. */
export function serviceModel(deps: HubDeps, service: ServiceConfig, scopes: ReadonlySet<string>): Record<string, unknown> | undefined {
  const target = { service: service.name };
  const can = (scope: string) => grants(scopes, scope, target);
  if (!can('read:services:name') && !can('read:roles:services')) return undefined;
  const model: Record<string, unknown> = { kind: 'service', name: service.name, admin: service.admin };
  if (can('read:services')) {
    Object.assign(model, {
      url: service.url ?? '',
      prefix: service.url || service.command ? `${deps.paths.base}services/${service.name}/` : '',
      command: service.command ?? '',
      pid: deps.serviceRegistry.get(service.name)?.pid ?? 0,
      info: service.info,
      display: service.display,
    });
  }
  if (can('read:roles:services')) model['roles'] = deps.roles.serviceRoles(service.name, service.admin);
  return model;
}

export function registerServiceRoutes(api: ApiRegistry, deps: HubDeps): void {
  api.route(
    {
      method: 'GET',
      path: '/services',
      summary: 'List services (an object keyed by name, not paginated)',
      scopes: ['list:services'],
      responses: { 200: 'name → Service model', 403: 'No list:services scope' },
    },
    async (request) => {
      const identity = await requireIdentity(request, deps);
      if (!holdsAny(identity.scopes, 'list:services')) throw new BulwarkError('AUTH_MISSING_SCOPE', { scopes: 'list:services' });
      const result: Record<string, unknown> = {};
      for (const service of deps.config.services) {
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
      const service = deps.config.services.find((candidate) => candidate.name === name);
      const model = service ? serviceModel(deps, service, identity.scopes) : undefined;
      if (!model) throw new BulwarkError('HUB_API_NOT_FOUND', { detail: `No such service: ${name}` });
      return model;
    },
  );
}
