import { BulwarkError } from '../../errors/index.js';
import type { HubDeps } from '../hub-deps.js';
import { requireIdentity } from '../request-context.js';
import type { ApiRegistry } from './api-registry.js';
import { authorizedUser } from './user-context.js';

function parseTimestamp(value: unknown, now: Date): string {
  const when = typeof value === 'string' ? new Date(value) : undefined;
  if (!when || Number.isNaN(when.getTime())) {
    throw new BulwarkError('HUB_ACTIVITY_INVALID', { detail: `last_activity must be an ISO-8601 timestamp, got ${JSON.stringify(value)}` });
  }
  if (when.getTime() - now.getTime() > 59 * 60 * 1000) {
    throw new BulwarkError('HUB_ACTIVITY_INVALID', { detail: `Rejecting activity from more than an hour in the future: ${String(value)}` });
  }
  return when.toISOString();
}

/** The activity body of the single-user contract: `{last_activity?, servers?: {name: {last_activity}}}`. */
export function parseActivity(body: unknown, now: Date): { lastActivity: string | undefined; servers: Map<string, string> } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new BulwarkError('HUB_ACTIVITY_INVALID', { detail: 'body must be a JSON object' });
  }
  const record = body as Record<string, unknown>;
  if (!('last_activity' in record) && !('servers' in record)) {
    throw new BulwarkError('HUB_ACTIVITY_INVALID', { detail: 'body needs last_activity or servers' });
  }
  const lastActivity = 'last_activity' in record ? parseTimestamp(record['last_activity'], now) : undefined;
  const servers = new Map<string, string>();
  const rawServers = record['servers'] ?? {};
  const shapeError = 'servers must be a dict of the form {server_name: {last_activity: timestamp}}';
  if (typeof rawServers !== 'object' || rawServers === null || Array.isArray(rawServers)) {
    throw new BulwarkError('HUB_ACTIVITY_INVALID', { detail: shapeError });
  }
  for (const [name, value] of Object.entries(rawServers)) {
    if (!value || typeof value !== 'object' || !('last_activity' in value)) {
      throw new BulwarkError('HUB_ACTIVITY_INVALID', { detail: shapeError });
    }
    servers.set(name, parseTimestamp((value as Record<string, unknown>)['last_activity'], now));
  }
  return { lastActivity, servers };
}

export function registerActivityRoute(api: ApiRegistry, deps: HubDeps): void {
  api.route(
    {
      method: 'POST',
      path: '/users/{name}/activity',
      summary: "Notify the hub of a user's or server's activity",
      scopes: ['users:activity'],
      body: '{"last_activity": timestamp, "servers": {name: {"last_activity": timestamp}}}',
      responses: { 200: 'Recorded (empty body)', 400: 'Bad body, unknown server or future timestamp', 404: 'No such user' },
    },
    async (request, reply) => {
      const identity = await requireIdentity(request, deps);
      const user = await authorizedUser(deps, identity, ['users:activity'], (request.params as { name: string }).name);
      const { lastActivity, servers } = parseActivity(request.body, deps.clock());
      for (const [serverName, when] of servers) {
        if (!deps.servers.view(user, serverName)) {
          throw new BulwarkError('HUB_ACTIVITY_INVALID', { detail: `No such server '${serverName}' for user ${user.name}` });
        }
        await deps.servers.recordActivity(user, serverName, when);
      }
      if (lastActivity && (user.lastActivity === null || lastActivity > user.lastActivity)) await deps.users.touch(user.id, lastActivity);
      return reply.code(200).send();
    },
  );
}
