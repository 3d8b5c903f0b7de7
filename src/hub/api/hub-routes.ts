import type { FastifyReply, FastifyRequest } from 'fastify';
import { BulwarkError } from '../../errors/index.js';
import { JUPYTERHUB_COMPAT_VERSION, type HubDeps } from '../hub-deps.js';
import { checkApiXsrf, requireIdentity, requireScope } from '../request-context.js';
import type { ApiRegistry } from './api-registry.js';
import { openApiDocument } from './openapi.js';
import { objectBody } from './request-body.js';
import { visibleUserModel } from './user-context.js';

function flag(body: Record<string, unknown> | undefined, key: string, fallback: boolean): boolean {
  const value = body?.[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new BulwarkError('HUB_API_INVALID', { detail: `${key} must be true or false, got ${JSON.stringify(value)}` });
  return value;
}

/** Hub-wide endpoints: version, info, shutdown, health, the deprecated token lookup, OpenAPI. */
export function registerHubRoutes(api: ApiRegistry, deps: HubDeps): void {
  // JupyterHub 4+ lets any origin read the version (single-user servers and tools probe it).
  const versionInfo = async (_request: FastifyRequest, reply: FastifyReply) => {
    reply.header('Access-Control-Allow-Origin', '*');
    return { version: JUPYTERHUB_COMPAT_VERSION };
  };
  // Single-user servers call the API root without a slash to read the version header.
  api.route({ method: 'GET', path: '', summary: 'Hub version (no slash)', scopes: [], responses: { 200: '{"version": str}' } }, versionInfo);
  api.route({ method: 'GET', path: '/', summary: 'Hub version', scopes: [], responses: { 200: '{"version": str}' } }, versionInfo);

  api.route(
    { method: 'GET', path: '/info', summary: 'Detailed hub information', scopes: ['read:hub'], responses: { 200: 'version, python, sys_executable, spawner, authenticator' } },
    async (request) => {
      requireScope(await requireIdentity(request, deps), ['read:hub']);
      return {
        version: JUPYTERHUB_COMPAT_VERSION,
        // No Python runs the hub; these name the Node runtime, which is what an operator would look for.
        python: `node ${process.versions.node}`,
        sys_executable: process.execPath,
        spawner: { class: `bulwark.spawner.${deps.config.spawner.class}`, version: 'unknown' },
        authenticator: { class: `bulwark.authenticator.${deps.config.authenticator.class}`, version: 'unknown' },
      };
    },
  );

  api.route(
    {
      method: 'POST',
      path: '/shutdown',
      summary: 'Shut down the hub',
      scopes: ['shutdown'],
      body: '{"proxy": bool, "servers": bool}',
      responses: { 202: '{"message": "Shutting down Hub"}', 400: 'proxy or servers not a boolean' },
    },
    async (request, reply) => {
      const identity = await requireIdentity(request, deps);
      checkApiXsrf(request, identity, deps);
      requireScope(identity, ['shutdown']);
      const body = objectBody(request);
      flag(body, 'proxy', true); // the embedded proxy always goes down with the hub
      const servers = flag(body, 'servers', deps.config.spawner.cleanup_servers);
      reply.raw.once('finish', () => deps.requestShutdown({ servers }));
      return reply.code(202).send({ message: 'Shutting down Hub' });
    },
  );

  api.route({ method: 'GET', path: '/health', summary: 'Health check', scopes: [], responses: { 200: 'Healthy (empty body)' } }, async (_request, reply) =>
    reply.code(200).send(),
  );

  api.route(
    {
      method: 'GET',
      path: '/authorizations/token/{token}',
      summary: 'Identify the owner of a token (deprecated; use GET /user)',
      scopes: [],
      responses: { 200: "The owner's user model", 403: 'Not called with an API token', 404: 'Unknown token' },
    },
    async (request) => {
      const identity = await requireIdentity(request, deps);
      if (identity.via !== 'token') throw new BulwarkError('AUTH_REQUIRED');
      const found = await deps.tokens.authenticate((request.params as { token: string }).token);
      if (!found) throw new BulwarkError('HTTP_NOT_FOUND');
      const scopes = new Set(identity.scopes);
      scopes.add(`read:users:name!user=${found.user.name}`);
      return visibleUserModel(deps, found.user, scopes, false);
    },
  );

  api.route(
    { method: 'POST', path: '/authorizations/token', summary: 'Removed in JupyterHub 2.0; always 404', scopes: [], responses: { 404: 'Deprecated endpoint' } },
    async (request) => {
      throw new BulwarkError('HUB_DEPRECATED_ENDPOINT', { path: request.url.split('?')[0] ?? request.url });
    },
  );

  api.route(
    { method: 'GET', path: '/openapi.json', summary: 'This API described as OpenAPI 3 (Bulwark extension)', scopes: [], responses: { 200: 'OpenAPI document' } },
    async () => openApiDocument(api.specs(), { version: JUPYTERHUB_COMPAT_VERSION, apiPrefix: deps.paths.api }),
  );
}
