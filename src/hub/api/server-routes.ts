import type { FastifyReply, FastifyRequest } from 'fastify';
import { BulwarkError, isBulwarkError } from '../../errors/index.js';
import type { User } from '../../identity/index.js';
import type { HubDeps } from '../hub-deps.js';
import { checkApiXsrf, requireIdentity } from '../request-context.js';
import type { ApiRegistry, ApiRouteSpec } from './api-registry.js';
import { objectBody } from './request-body.js';
import { authorizedUser } from './user-context.js';

/** How long POST/DELETE wait before answering 202 (JupyterHub's slow_spawn_timeout / slow_stop_timeout). */
const SLOW_TIMEOUT_MS = 10_000;

interface ServerParams {
  name: string;
  server_name?: string;
}

/** The three spellings of a server: `/server`, `/servers/` (default) and `/servers/{server_name}`. */
const SERVER_PATHS = ['/users/{name}/server', '/users/{name}/servers/', '/users/{name}/servers/{server_name}'] as const;

/** The wait a 429 names ({seconds}), or JupyterHub's usual 30 s. */
function retryAfterSeconds(error: BulwarkError): number {
  const seconds = Number(error.params['seconds']);
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : 30;
}

function serverNameOf(request: FastifyRequest): string {
  return (request.params as ServerParams).server_name ?? '';
}

function checkNamedAllowed(deps: HubDeps, serverName: string): void {
  if (serverName !== '' && !deps.config.hub.allow_named_servers) throw new BulwarkError('HUB_NAMED_SERVERS_DISABLED');
}

async function startServer(request: FastifyRequest, reply: FastifyReply, deps: HubDeps) {
  const identity = await requireIdentity(request, deps);
  checkApiXsrf(request, identity, deps);
  const serverName = serverNameOf(request);
  const user = await authorizedUser(deps, identity, ['servers'], (request.params as ServerParams).name, serverName);
  checkNamedAllowed(deps, serverName);
  const limit = deps.config.hub.named_server_limit_per_user;
  if (serverName !== '' && limit > 0) {
    const others = (await deps.servers.namedServers(user)).filter((name) => name !== serverName);
    if (others.length >= limit) throw new BulwarkError('HUB_NAMED_SERVER_LIMIT', { name: user.name, limit });
  }
  const options = objectBody(request) ?? {};
  try {
    await deps.servers.start(user, serverName, { name: identity.user.name, ip: request.ip }, options);
  } catch (error) {
    // 429s say when to come back, as JupyterHub's do.
    if (isBulwarkError(error) && error.status === 429) reply.header('Retry-After', String(retryAfterSeconds(error)));
    throw error;
  }
  const view = await deps.servers.waitForSpawn(user, serverName, SLOW_TIMEOUT_MS);
  if (view?.ready) return reply.code(201).type('text/plain').send('');
  if (view?.failure && view.pending === null) {
    throw new BulwarkError('HUB_SPAWN_FAILED', { status: 1, name: user.name, reason: view.failure });
  }
  return reply.code(202).type('text/plain').send('');
}

async function stopServer(request: FastifyRequest, reply: FastifyReply, deps: HubDeps) {
  const identity = await requireIdentity(request, deps);
  checkApiXsrf(request, identity, deps);
  const serverName = serverNameOf(request);
  const user = await authorizedUser(deps, identity, ['delete:servers'], (request.params as ServerParams).name, serverName);
  checkNamedAllowed(deps, serverName);
  const remove = objectBody(request)?.['remove'] === true;
  if (remove && serverName === '') throw new BulwarkError('HUB_API_INVALID', { detail: 'Cannot delete the default server' });
  if (serverName !== '' && !deps.servers.view(user, serverName) && !(await deps.servers.namedServers(user)).includes(serverName)) {
    throw new BulwarkError('HUB_API_NOT_FOUND', { detail: `${user.name} has no server named ${serverName}` });
  }
  const stopping = deps.servers.stop(user, serverName, { name: identity.user.name, ip: request.ip }).then(async () => {
    if (remove) await deps.servers.forget(user, serverName);
  });
  const finished = await Promise.race([
    stopping.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), SLOW_TIMEOUT_MS).unref()),
  ]);
  stopping.catch((error: unknown) => deps.logger.error({ err: error, user: user.name }, 'stop failed'));
  return reply.code(finished ? 204 : 202).type('text/plain').send('');
}

/** Server-sent events of a spawn: replay, follow, keep-alive every 8 s, end after ready/failed. */
async function streamProgress(request: FastifyRequest, reply: FastifyReply, deps: HubDeps) {
  const identity = await requireIdentity(request, deps);
  const serverName = serverNameOf(request);
  const user: User = await authorizedUser(deps, identity, ['read:servers'], (request.params as ServerParams).name, serverName);
  const log = deps.servers.progress(user, serverName);
  const view = deps.servers.view(user, serverName);
  if (!log || !view) {
    if (serverName !== '' && !(await deps.servers.namedServers(user)).includes(serverName)) {
      throw new BulwarkError('HUB_API_NOT_FOUND', { detail: `${user.name} has no server named ${serverName}` });
    }
    const reason = deps.servers.stopReason(user, serverName);
    if (reason !== null) {
      // The server died of its limit: say so once, as a failed event, then end the stream.
      reply.hijack();
      reply.raw.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      reply.raw.end(`data: ${JSON.stringify({ progress: 100, failed: true, message: reason })}\n\n`);
      return;
    }
    throw new BulwarkError('HUB_SERVER_NOT_STARTING', { name: serverName === '' ? user.name : `${user.name}/${serverName}` });
  }
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no' });
  res.write('\n\n');
  if (view.ready && log.isFinished) {
    res.end(`data: ${JSON.stringify(log.last)}\n\n`);
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

export function registerServerRoutes(api: ApiRegistry, deps: HubDeps): void {
  api.route(
    {
      method: 'POST',
      path: '/users/{name}/admin-access',
      summary: 'Deprecated no-op kept for old clients (admin access is a matter of scopes)',
      scopes: ['servers'],
      responses: { 200: 'OK (nothing changes)', 404: 'No such user' },
    },
    async (request, reply) => {
      const identity = await requireIdentity(request, deps);
      checkApiXsrf(request, identity, deps);
      await authorizedUser(deps, identity, ['servers'], (request.params as ServerParams).name);
      return reply.code(200).send();
    },
  );
  for (const path of SERVER_PATHS) {
    const named = path.endsWith('{server_name}');
    const start: ApiRouteSpec = {
      method: 'POST',
      path,
      summary: named ? "Start a user's named server" : "Start a user's default server",
      scopes: ['servers'],
      body: 'user_options (any JSON object)',
      responses: {
        201: 'Started and ready',
        202: 'Still starting; follow the progress URL',
        400: 'Already running, stopping, named servers disabled or limit reached',
        404: 'No such user',
        429: 'Too many concurrent spawns, hub.active_server_limit reached, or started too recently (Retry-After says when to retry)',
        500: 'The spawn failed',
      },
    };
    api.route(start, (request, reply) => startServer(request, reply, deps));
    api.route(
      {
        method: 'DELETE',
        path,
        summary: named ? "Stop (and optionally remove) a user's named server" : "Stop a user's default server",
        scopes: ['delete:servers'],
        body: '{"remove": bool} (named servers only)',
        responses: { 202: 'Still stopping', 204: 'Stopped', 400: 'Removing the default server, or named servers disabled', 404: 'No such user or server' },
      },
      (request, reply) => stopServer(request, reply, deps),
    );
    if (path === '/users/{name}/servers/') continue;
    api.route(
      {
        method: 'GET',
        path: `${path}/progress`,
        summary: 'Follow the progress of a spawn (server-sent events)',
        scopes: ['read:servers'],
        responses: { 200: 'text/event-stream of progress events', 400: 'The server is not starting', 404: 'No such user or server' },
      },
      (request, reply) => streamProgress(request, reply, deps),
    );
  }
}
