import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BulwarkError } from '../../errors/index.js';
import type { User } from '../../identity/index.js';
import type { HubDeps } from '../hub-deps.js';
import { checkApiXsrf, clientIp, requireIdentity, requireScope } from '../request-context.js';
import { userModel } from './user-model.js';

/** How long POST/DELETE wait before answering 202 (JupyterHub's slow_spawn_timeout / slow_stop_timeout). */
const SLOW_TIMEOUT_MS = 10_000;

interface NameParams {
  name: string;
}

/** Finds the target user, hiding whether it exists from callers who may not see it. */
async function targetUser(deps: HubDeps, name: string, onMissing: 'hide' | 'notfound' = 'hide'): Promise<User> {
  const user = await deps.users.get(name);
  if (!user) throw new BulwarkError(onMissing === 'hide' ? 'HUB_NOT_FOUND_OR_NO_ACCESS' : 'IDENTITY_USER_NOT_FOUND', { name });
  return user;
}

export function registerUserRoutes(app: FastifyInstance, deps: HubDeps): void {
  const api = deps.paths.api;

  app.get<{ Params: NameParams }>(`${api}/users/:name`, async (request) => {
    const identity = await requireIdentity(request, deps);
    const readScopes = ['read:users', 'read:users:name', 'read:servers', 'read:users:groups', 'read:users:activity', 'read:roles:users'];
    requireScope(identity, readScopes, { user: request.params.name });
    const user = await targetUser(deps, request.params.name);
    const groups = await deps.users.groupsOf(user.id);
    return userModel(user, { scopes: identity.scopes, groups, server: deps.servers.view(user), paths: deps.paths });
  });

  app.post<{ Params: NameParams }>(`${api}/users/:name/server`, async (request, reply) => {
    const identity = await requireIdentity(request, deps);
    checkApiXsrf(request, identity, deps);
    requireScope(identity, ['servers'], { user: request.params.name, server: `${request.params.name}/` });
    const user = await targetUser(deps, request.params.name);
    const options = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
    await deps.servers.start(user, '', { name: identity.user.name, ip: clientIp(request) }, options);
    const view = await deps.servers.waitForSpawn(user, '', SLOW_TIMEOUT_MS);
    if (view?.ready) return reply.code(201).type('text/plain').send('');
    if (view?.failure && view.pending === null) {
      throw new BulwarkError('HUB_SPAWN_FAILED', { status: 1, name: user.name, reason: view.failure });
    }
    return reply.code(202).type('text/plain').send('');
  });

  app.delete<{ Params: NameParams }>(`${api}/users/:name/server`, async (request, reply) => {
    const identity = await requireIdentity(request, deps);
    checkApiXsrf(request, identity, deps);
    requireScope(identity, ['delete:servers'], { user: request.params.name, server: `${request.params.name}/` });
    const user = await targetUser(deps, request.params.name);
    const stopping = deps.servers.stop(user, '', { name: identity.user.name, ip: clientIp(request) });
    const finished = await Promise.race([
      stopping.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), SLOW_TIMEOUT_MS).unref()),
    ]);
    return reply.code(finished ? 204 : 202).send();
  });

  app.get<{ Params: NameParams }>(`${api}/users/:name/server/progress`, async (request, reply) => {
    const identity = await requireIdentity(request, deps);
    requireScope(identity, ['read:servers'], { user: request.params.name, server: `${request.params.name}/` });
    const user = await targetUser(deps, request.params.name);
    return streamProgress(request, reply, deps, user);
  });

  app.post<{ Params: NameParams }>(`${api}/users/:name/activity`, async (request, reply) => {
    const identity = await requireIdentity(request, deps);
    requireScope(identity, ['users:activity'], { user: request.params.name });
    const user = await targetUser(deps, request.params.name);
    const { lastActivity, servers } = parseActivity(request.body, deps.clock());
    for (const [serverName, when] of servers) {
      if (!deps.servers.view(user, serverName)) {
        throw new BulwarkError('HUB_ACTIVITY_INVALID', { detail: `No such server '${serverName}' for user ${user.name}` });
      }
      await deps.servers.recordActivity(user, serverName, when);
    }
    if (lastActivity && (user.lastActivity === null || lastActivity > user.lastActivity)) await deps.users.touch(user.id, lastActivity);
    return reply.code(200).send();
  });
}

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
function parseActivity(body: unknown, now: Date): { lastActivity: string | undefined; servers: Map<string, string> } {
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

/** Server-sent events of a spawn: replay, follow, keep-alive every 8 s, end after ready/failed. */
async function streamProgress(request: FastifyRequest, reply: FastifyReply, deps: HubDeps, user: User): Promise<void> {
  const log = deps.servers.progress(user, '');
  const view = deps.servers.view(user);
  if (!log || !view) throw new BulwarkError('HUB_NOT_FOUND_OR_NO_ACCESS');
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no' });
  res.write('\n\n');
  if (view.ready && log.isFinished) {
    const ready = log.last;
    res.end(`data: ${JSON.stringify(ready)}\n\n`);
    return;
  }
  const keepAlive = setInterval(() => res.write('\n\n'), 8000);
  const unsubscribe = log.follow((event) => {
    res.write(`data: ${JSON.stringify(event)}\n\n`);
    if (event.ready || event.failed) {
      clearInterval(keepAlive);
      res.end();
    }
  });
  request.raw.on('close', () => {
    clearInterval(keepAlive);
    unsubscribe();
  });
}
