import { grants } from '../../identity/index.js';
import type { HubDeps } from '../hub-deps.js';
import type { HubService } from '../services/service-registry.js';

/** The service model with the fields the caller's scopes allow on this service. */
export function serviceModel(deps: HubDeps, service: HubService, scopes: ReadonlySet<string>): Record<string, unknown> | undefined {
  const target = { service: service.name };
  const can = (scope: string) => grants(scopes, scope, target);
  if (!can('read:services:name') && !can('read:roles:services')) return undefined;
  const config = service.config;
  const model: Record<string, unknown> = { kind: 'service', name: service.name, admin: service.admin };
  if (can('read:services')) {
    Object.assign(model, {
      url: config.url ?? '',
      prefix: config.url || config.command ? service.prefix : '',
      command: config.command ?? '',
      pid: service.pid,
      info: config.info,
      display: config.display,
    });
  }
  if (can('read:roles:services')) model['roles'] = deps.roles.serviceRoles(service.name, service.admin);
  return model;
}
