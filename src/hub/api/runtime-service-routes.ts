import { serviceSchema, type ServiceConfig } from '../../config/index.js';
import { BulwarkError } from '../../errors/index.js';
import { expandScopes, intersectScopes } from '../../identity/index.js';
import type { Identity } from '../auth/identify.js';
import type { HubDeps } from '../hub-deps.js';
import { checkApiXsrf, requireIdentity, requireScope } from '../request-context.js';
import type { ApiRegistry } from './api-registry.js';
import { serviceModel } from './service-model.js';

/** The first problem zod found, as `key: reason`, for a 400 message. */
function firstIssue(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const key = issue.path.map(String).join('.');
  return key ? `${key}: ${issue.message}` : issue.message;
}

/** JupyterHub's checks on a runtime service: a dict, known keys, no command (never managed). */
function parseSpec(body: unknown, name: string): ServiceConfig {
  if (!body || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).length === 0) {
    throw new BulwarkError('HUB_API_INVALID', { detail: 'Invalid service data' });
  }
  // As JupyterHub does, the name in the path wins over one in the body.
  const parsed = serviceSchema.safeParse({ ...(body as Record<string, unknown>), name });
  if (!parsed.success) throw new BulwarkError('HUB_API_INVALID', { detail: `Invalid service data: ${firstIssue(parsed.error)}` });
  if (parsed.data.url !== undefined && !/^https?:\/\//i.test(parsed.data.url)) {
    throw new BulwarkError('HUB_API_INVALID', { detail: 'Invalid service data: url: expected an http or https URL' });
  }
  if (parsed.data.command) throw new BulwarkError('HUB_API_INVALID', { detail: `Can not create managed service ${name} at runtime` });
  return parsed.data;
}

/**
 * An `admin` service and its OAuth clients' allowed scopes hand out power; as JupyterHub does,
 * only a caller who holds those scopes may create such a service.
 */
function checkGrantable(deps: HubDeps, identity: Identity, spec: ServiceConfig): void {
  const requested = [...(spec.admin ? (deps.roles.definitions.get('admin')?.scopes ?? []) : []), ...spec.oauth_client_allowed_scopes];
  if (requested.length === 0) return;
  const owner = identity.service ? { kind: 'service' as const, name: identity.service.name } : { kind: 'user' as const, name: identity.user.name };
  let expanded: Set<string>;
  try {
    expanded = expandScopes(requested, owner, identity.scopes);
  } catch (error) {
    throw new BulwarkError('HUB_API_INVALID', { detail: error instanceof Error ? error.message : String(error) });
  }
  const held = intersectScopes(expanded, identity.scopes);
  const missing = [...expanded].filter((scope) => !held.has(scope)).sort();
  if (missing.length > 0) {
    throw new BulwarkError('HUB_API_INVALID', { detail: `Not assigning requested scopes ${missing.join(', ')} not held by ${owner.kind === 'service' ? 'Service' : 'User'} ${owner.name}` });
  }
}

/** JupyterHub 5's runtime services: POST and DELETE /services/{name} with `admin:services`. */
export function registerRuntimeServiceRoutes(api: ApiRegistry, deps: HubDeps): void {
  api.route(
    {
      method: 'POST',
      path: '/services/{name}',
      summary: 'Add an external service at runtime (stored; survives a restart)',
      scopes: ['admin:services'],
      body: '{"url": str, "api_token": str, "admin": bool, "oauth_client_allowed_scopes": [str], "oauth_redirect_uri": str, "oauth_client_id": str, "oauth_no_confirm": bool, "display": bool, "info": {}}',
      responses: { 201: 'The new Service model', 400: 'Bad data, a command, or scopes the caller lacks', 409: 'A service of that name exists' },
    },
    async (request, reply) => {
      const identity = await requireIdentity(request, deps);
      checkApiXsrf(request, identity, deps);
      const name = (request.params as { name: string }).name;
      requireScope(identity, ['admin:services'], { service: name });
      if (deps.serviceRegistry.get(name)) throw new BulwarkError('HUB_API_CONFLICT', { detail: `Service ${name} already exists` });
      const spec = parseSpec(request.body, name);
      checkGrantable(deps, identity, spec);
      // A token is the one thing that says who calls; it must name exactly one owner.
      if (spec.api_token !== undefined && (deps.serviceRegistry.authenticate(spec.api_token) || (await deps.tokens.authenticate(spec.api_token)))) {
        throw new BulwarkError('HUB_API_INVALID', { detail: `api_token of service ${name} is already in use` });
      }
      // JupyterHub requires service client ids to start with "service-"; an id already registered
      // (another service's, or a user server's) would otherwise be taken over.
      const clientId = spec.oauth_client_id ?? `service-${name}`;
      if (!clientId.startsWith('service-')) {
        throw new BulwarkError('HUB_API_INVALID', { detail: `service ${name} has oauth_client_id='${clientId}'. Service oauth client ids must start with 'service-'` });
      }
      if (await deps.oauth.getClient(clientId)) throw new BulwarkError('HUB_API_CONFLICT', { detail: `OAuth client ${clientId} already exists` });
      const service = await deps.serviceRegistry.addRuntime(spec, identity.user.name);
      await deps.audit.record({ name: identity.user.name, ip: request.ip }, { action: 'service.add', target: name, detail: { url: spec.url ?? null, admin: spec.admin, api_token: spec.api_token !== undefined } });
      return reply.code(201).send(serviceModel(deps, service, identity.scopes) ?? { kind: 'service', name, admin: service.admin });
    },
  );

  api.route(
    {
      method: 'DELETE',
      path: '/services/{name}',
      summary: 'Remove a service added at runtime (configured services cannot be removed)',
      scopes: ['admin:services'],
      responses: { 200: 'Removed', 404: 'No such service', 405: 'A service from the config' },
    },
    async (request, reply) => {
      const identity = await requireIdentity(request, deps);
      checkApiXsrf(request, identity, deps);
      const name = (request.params as { name: string }).name;
      requireScope(identity, ['admin:services'], { service: name });
      const service = deps.serviceRegistry.get(name);
      if (!service) throw new BulwarkError('HUB_API_NOT_FOUND', { detail: `Service ${name} does not exist` });
      if (service.fromConfig) throw new BulwarkError('HUB_SERVICE_NOT_MODIFIABLE', { name });
      await deps.serviceRegistry.removeRuntime(name);
      await deps.audit.record({ name: identity.user.name, ip: request.ip }, { action: 'service.remove', target: name });
      return reply.code(200).type('application/json').send('');
    },
  );
}
