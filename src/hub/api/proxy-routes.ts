import type { HubDeps } from '../hub-deps.js';
import { checkApiXsrf, requireIdentity, requireScope } from '../request-context.js';
import type { ApiRegistry } from './api-registry.js';
import { pageOf, pageResult } from './pagination.js';
import { requireObjectBody } from './request-body.js';

/** A route prefix as JupyterHub names it (routespec): always with a trailing slash. */
function routespec(prefix: string): string {
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/**
 * `/proxy` over the embedded route table. The hub keeps the table in step itself, so POST (check
 * routes) and PATCH (a new proxy API URL/token) have nothing to change and only answer 200.
 */
export function registerProxyRoutes(api: ApiRegistry, deps: HubDeps): void {
  api.route(
    {
      method: 'GET',
      path: '/proxy',
      summary: "Get the proxy's routing table",
      scopes: ['proxy'],
      query: ['offset', 'limit'],
      responses: { 200: 'routespec \u2192 {routespec, target, data} (or pagination envelope)', 403: 'No proxy scope' },
    },
    async (request) => {
      const identity = await requireIdentity(request, deps);
      requireScope(identity, ['proxy']);
      const page = pageOf(request);
      const routes = deps.routes.list().sort((a, b) => a.prefix.localeCompare(b.prefix));
      const slice = routes.slice(page.offset, page.offset + page.limit);
      const table: Record<string, unknown> = {};
      for (const route of slice) {
        const spec = routespec(route.prefix);
        table[spec] = { routespec: spec, target: route.target, data: { ...route.data, last_activity: route.lastActivity.toISOString() } };
      }
      return pageResult(request, page, table, routes.length);
    },
  );

  api.route(
    {
      method: 'POST',
      path: '/proxy',
      summary: 'Force the hub to sync the proxy routing table',
      scopes: ['proxy'],
      responses: { 200: 'Synced (empty body)' },
    },
    async (request, reply) => {
      const identity = await requireIdentity(request, deps);
      checkApiXsrf(request, identity, deps);
      requireScope(identity, ['proxy']);
      return reply.code(200).send();
    },
  );

  api.route(
    {
      method: 'PATCH',
      path: '/proxy',
      summary: 'Tell the hub about a new proxy (api_url, auth_token)',
      scopes: ['proxy'],
      body: '{"api_url": str, "auth_token": str}',
      responses: { 200: 'Accepted (empty body)', 400: 'Body missing or not a JSON object' },
    },
    async (request, reply) => {
      const identity = await requireIdentity(request, deps);
      checkApiXsrf(request, identity, deps);
      requireScope(identity, ['proxy']);
      requireObjectBody(request, 'Request body');
      deps.logger.info({ keys: Object.keys(request.body as object) }, 'PATCH /proxy: the embedded proxy has no separate API; nothing to reconnect');
      return reply.code(200).send();
    },
  );
}
