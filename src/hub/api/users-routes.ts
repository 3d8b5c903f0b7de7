import type { FastifyRequest } from 'fastify';
import { BulwarkError, isBulwarkError } from '../../errors/index.js';
import { holdsAny, type User } from '../../identity/index.js';
import type { Identity } from '../auth/identify.js';
import type { HubDeps } from '../hub-deps.js';
import { checkApiXsrf, requireIdentity, requireScope } from '../request-context.js';
import type { ApiRegistry } from './api-registry.js';
import { listUsersPage, type StateFilter } from './users-listing.js';
import { pageOf, pageResult } from './pagination.js';
import { checkKeys, objectBody, queryFlag, queryString, stringList } from './request-body.js';
import { authorizedUser, userTarget, visibleUserModel } from './user-context.js';

/** Keys JupyterHub accepts in a user model sent to it. */
const USER_MODEL_KEYS = ['name', 'admin', 'groups', 'roles', 'auth_state'] as const;
const READ_USER_SCOPES = ['read:users', 'read:users:name', 'read:servers', 'read:users:groups', 'read:users:activity', 'read:roles:users'];
const STATES = ['', 'active', 'ready', 'inactive'] as const;

const actor = (identity: Identity, request: FastifyRequest) => ({ name: identity.user.name, ip: request.ip });

/** Since JupyterHub 4, only admins may create admins or change an admin account. */
function checkAdminGrant(identity: Identity, body: Record<string, unknown> | undefined, target?: User): void {
  if (identity.user.admin) return;
  if (body?.['admin'] === true) throw new BulwarkError('HUB_API_FORBIDDEN', { detail: 'Only admins can grant admin permissions' });
  if (target?.admin) throw new BulwarkError('HUB_API_FORBIDDEN', { detail: 'Only admins can modify other admins' });
}

function adminFlag(body: Record<string, unknown> | undefined): boolean | undefined {
  const value = body?.['admin'];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new BulwarkError('HUB_API_INVALID', { detail: 'admin must be true or false' });
  return value;
}

async function createUser(deps: HubDeps, name: string, admin: boolean, by: ReturnType<typeof actor>): Promise<User> {
  try {
    // An account made by an admin is authorized at once; it has no password until one is set.
    return await deps.users.create({ name, admin, authorized: true }, by);
  } catch (error) {
    if (isBulwarkError(error) && error.code === 'IDENTITY_INVALID_USERNAME') throw new BulwarkError('HUB_API_INVALID', { detail: `Invalid username: ${name}` });
    throw error;
  }
}

export function registerUsersRoutes(api: ApiRegistry, deps: HubDeps): void {
  api.route(
    {
      method: 'GET',
      path: '/users',
      summary: 'List users',
      scopes: ['list:users'],
      query: ['state', 'offset', 'limit', 'include_stopped_servers', 'name_filter', 'sort'],
      responses: { 200: 'The users the caller may list (array, or pagination envelope)', 400: 'Bad state, sort or paging argument', 403: 'No list:users scope' },
    },
    async (request) => {
      const identity = await requireIdentity(request, deps);
      if (!holdsAny(identity.scopes, 'list:users')) throw new BulwarkError('AUTH_MISSING_SCOPE', { scopes: 'list:users' });
      const state = queryString(request, 'state') ?? '';
      if (!(STATES as readonly string[]).includes(state)) throw new BulwarkError('HUB_API_INVALID', { detail: `Unrecognized state filter: '${state}'` });
      const page = pageOf(request);
      const nameFilter = (queryString(request, 'name_filter') ?? '').toLowerCase();
      const includeStopped = queryFlag(request, 'include_stopped_servers', false);
      const activeIds = new Set<number>();
      const readyIds = new Set<number>();
      for (const server of deps.servers.all()) {
        if (server.ready || server.pending !== null) activeIds.add(server.userId);
        if (server.ready) readyIds.add(server.userId);
      }
      const listed = await listUsersPage(deps.database.db, {
        state: state as StateFilter,
        nameFilter,
        sort: queryString(request, 'sort'),
        page,
        scopes: identity.scopes,
        activeIds,
        readyIds,
      });
      const models = await Promise.all(
        listed.users.map((user) => visibleUserModel(deps, user, identity.scopes, includeStopped, listed.groups.get(user.id) ?? [])),
      );
      return pageResult(request, page, models, listed.total);
    },
  );

  api.route(
    {
      method: 'POST',
      path: '/users',
      summary: 'Create multiple users',
      scopes: ['admin:users'],
      body: '{"usernames": [str], "admin": bool}',
      responses: { 201: 'The users created (existing names are skipped)', 400: 'No or invalid names', 403: 'Granting admin without being admin', 409: 'All users already exist' },
    },
    async (request, reply) => {
      const identity = await requireIdentity(request, deps);
      checkApiXsrf(request, identity, deps);
      requireScope(identity, ['admin:users']);
      const body = objectBody(request) ?? {};
      const names = body['usernames'] === undefined ? [] : stringList(body['usernames'], 'usernames');
      const rest = Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'usernames'));
      checkKeys(rest, USER_MODEL_KEYS);
      if (names.length === 0) throw new BulwarkError('HUB_API_INVALID', { detail: 'Must specify at least one user to create' });
      const admin = adminFlag(body) ?? false;
      checkAdminGrant(identity, body);
      const fresh: string[] = [];
      for (const name of new Set(names)) {
        if (!(await deps.users.get(name))) fresh.push(name);
      }
      if (fresh.length === 0) throw new BulwarkError('HUB_API_CONFLICT', { detail: `All ${names.length} users already exist` });
      const created: User[] = [];
      for (const name of fresh) created.push(await createUser(deps, name, admin, actor(identity, request)));
      const models = await Promise.all(created.map((user) => visibleUserModel(deps, user, identity.scopes, false)));
      return reply.code(201).send(models);
    },
  );

  api.route(
    {
      method: 'GET',
      path: '/users/{name}',
      summary: 'Get a user by name',
      scopes: READ_USER_SCOPES,
      query: ['include_stopped_servers'],
      responses: { 200: 'The user model, with the fields the caller may read', 403: 'No read scope', 404: 'No such user, or not visible' },
    },
    async (request) => {
      const identity = await requireIdentity(request, deps);
      const name = (request.params as { name: string }).name;
      // One user and one group lookup per request: the groups found for the scope check are reused.
      const { target, user } = await userTarget(deps, name);
      requireScope(identity, READ_USER_SCOPES, target);
      if (!user) throw new BulwarkError('IDENTITY_USER_NOT_FOUND', { name });
      return visibleUserModel(deps, user, identity.scopes, queryFlag(request, 'include_stopped_servers', false), target.groups);
    },
  );

  api.route(
    {
      method: 'POST',
      path: '/users/{name}',
      summary: 'Create a single user',
      scopes: ['admin:users'],
      body: '{"admin": bool}',
      responses: { 201: 'The new user', 400: 'Invalid name or keys', 403: 'Granting admin without being admin', 409: 'User exists' },
    },
    async (request, reply) => {
      const identity = await requireIdentity(request, deps);
      checkApiXsrf(request, identity, deps);
      const name = (request.params as { name: string }).name;
      requireScope(identity, ['admin:users'], { user: name });
      const body = objectBody(request);
      if (body) checkKeys(body, USER_MODEL_KEYS);
      if (await deps.users.get(name)) throw new BulwarkError('HUB_API_CONFLICT', { detail: `User ${name} already exists` });
      checkAdminGrant(identity, body);
      const user = await createUser(deps, name, adminFlag(body) ?? false, actor(identity, request));
      return reply.code(201).send(await visibleUserModel(deps, user, identity.scopes, false));
    },
  );

  api.route(
    {
      method: 'PATCH',
      path: '/users/{name}',
      summary: 'Modify a user (rename, admin flag)',
      scopes: ['admin:users'],
      body: '{"name": str, "admin": bool}',
      responses: { 200: 'The updated user', 400: 'Bad keys or name taken', 403: 'Non-admin changing admin', 404: 'No such user' },
    },
    async (request) => {
      const identity = await requireIdentity(request, deps);
      checkApiXsrf(request, identity, deps);
      let user = await authorizedUser(deps, identity, ['admin:users'], (request.params as { name: string }).name);
      const body = objectBody(request) ?? {};
      checkKeys(body, USER_MODEL_KEYS);
      const admin = adminFlag(body);
      checkAdminGrant(identity, body, user);
      const by = actor(identity, request);
      const newName = body['name'];
      if (newName !== undefined) {
        if (typeof newName !== 'string') throw new BulwarkError('HUB_API_INVALID', { detail: 'name must be a string' });
        if (newName !== user.name) {
          if (await deps.users.get(newName)) throw new BulwarkError('HUB_API_INVALID', { detail: `User ${newName} already exists, username must be unique` });
          // A running server's routes, tokens and OS account are bound to the old name.
          if (deps.servers.list(user).length > 0) throw new BulwarkError('HUB_API_INVALID', { detail: `Cannot rename ${user.name} while a server is running` });
          user = await deps.users.rename(user.name, newName, by).catch((error: unknown) => {
            if (isBulwarkError(error) && error.code === 'IDENTITY_INVALID_USERNAME') throw new BulwarkError('HUB_API_INVALID', { detail: `Invalid username: ${newName}` });
            throw error;
          });
        }
      }
      if (admin !== undefined && admin !== user.admin) user = await deps.users.setAdmin(user.name, admin, by);
      const model = await visibleUserModel(deps, user, identity.scopes, false);
      return model;
    },
  );

  api.route(
    {
      method: 'DELETE',
      path: '/users/{name}',
      summary: 'Delete a user (stops their servers first)',
      scopes: ['delete:users'],
      responses: { 204: 'Deleted', 400: 'Deleting yourself', 403: 'No delete:users scope', 404: 'No such user' },
    },
    async (request, reply) => {
      const identity = await requireIdentity(request, deps);
      checkApiXsrf(request, identity, deps);
      const user = await authorizedUser(deps, identity, ['delete:users'], (request.params as { name: string }).name);
      if (user.id === identity.user.id) throw new BulwarkError('HUB_API_INVALID', { detail: 'Cannot delete yourself!' });
      const by = actor(identity, request);
      for (const server of deps.servers.list(user)) {
        if (server.pending === 'spawn') await deps.servers.waitForSpawn(user, server.name, 30_000);
        await deps.servers.stop(user, server.name, by);
      }
      await deps.users.remove(user.name, by);
      return reply.code(204).send();
    },
  );
}
