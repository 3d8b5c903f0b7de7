import type { FastifyInstance } from 'fastify';
import type { HubDeps } from '../hub-deps.js';
import { JUPYTERHUB_COMPAT_VERSION } from '../hub-deps.js';

/** `GET /hub/api` (no auth; single-user servers call it without a slash) and the health check. */
export function registerInfoRoutes(app: FastifyInstance, deps: HubDeps): void {
  const versionInfo = async () => ({ version: JUPYTERHUB_COMPAT_VERSION });
  app.get(deps.paths.api, versionInfo);
  app.get(`${deps.paths.api}/`, versionInfo);
  app.get(deps.paths.hubUrl('health'), async () => ({ status: 'ok' }));
}
