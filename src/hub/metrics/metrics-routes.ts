import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BulwarkError } from '../../errors/index.js';
import { grants } from '../../identity/index.js';
import { certificateMetricLines } from '../../keystore/index.js';
import type { ApiRegistry } from '../api/api-registry.js';
import type { HubDeps } from '../hub-deps.js';
import { identityOf } from '../request-context.js';
import { Histogram } from './histogram.js';

/** JupyterHub's spawn-duration buckets (seconds). */
const SPAWN_BUCKETS = [0.5, 1, 2.5, 5, 10, 15, 30, 60, 120, 180, 300, 600];

function gauge(name: string, help: string, value: number): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`];
}

/**
 * `/hub/metrics` and `/hub/api/metrics` in Prometheus text format, under JupyterHub's metric
 * names, behind `read:metrics` (JupyterHub's authenticate_prometheus default). Plus `/hub/health`.
 */
export function registerMetricsRoutes(app: FastifyInstance, api: ApiRegistry, deps: HubDeps): void {
  const spawnDuration = new Histogram('jupyterhub_server_spawn_duration_seconds', 'time taken for server spawning operation', 'status', SPAWN_BUCKETS);
  deps.servers.onSpawnFinished((seconds, ok) => spawnDuration.observe(ok ? 'success' : 'failure', seconds));

  const metrics = async (request: FastifyRequest, reply: FastifyReply) => {
    const identity = await identityOf(request, deps);
    if (!identity || !grants(identity.scopes, 'read:metrics')) {
      throw new BulwarkError('HUB_API_FORBIDDEN', { detail: "Access to metrics requires scope 'read:metrics'" });
    }
    const servers = deps.servers.all();
    const users = await deps.users.list();
    const lines = [
      ...gauge('jupyterhub_total_users', 'total number of users', users.length),
      ...gauge('jupyterhub_running_servers', 'the number of user servers currently running', servers.filter((s) => s.ready).length),
      ...gauge('jupyterhub_pending_servers', 'the number of user servers starting or stopping', servers.filter((s) => s.pending !== null).length),
      ...gauge('jupyterhub_active_users', 'number of users with a running or pending server', new Set(servers.map((s) => s.userId)).size),
      ...gauge('jupyterhub_services', 'number of configured services', deps.serviceRegistry.list().length),
      ...spawnDuration.render(),
      ...certificateMetricLines('hub', deps.tlsCertificate?.() ?? null, deps.clock()),
    ];
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(`${lines.join('\n')}\n`);
  };
  app.get(deps.paths.hubUrl('metrics'), metrics);
  api.route(
    { method: 'GET', path: '/metrics', summary: 'Prometheus metrics', scopes: ['read:metrics'], responses: { 200: 'text/plain; version=0.0.4', 403: 'No read:metrics scope' } },
    metrics,
  );
  app.route({ method: ['GET', 'HEAD'], url: deps.paths.hubUrl('health'), handler: async (_request, reply) => reply.code(200).send() });
}
