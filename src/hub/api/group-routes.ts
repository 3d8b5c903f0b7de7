import type { FastifyRequest } from 'fastify';
import { BulwarkError, isBulwarkError } from '../../errors/index.js';
import { grants, holdsAny, type Group } from '../../identity/index.js';
import type { Identity } from '../auth/identify.js';
import type { HubDeps } from '../hub-deps.js';
import { checkApiXsrf, requireIdentity, requireScope } from '../request-context.js';
import type { ApiRegistry } from './api-registry.js';
import { pageOf, paginate } from './pagination.js';
import { checkKeys, objectBody, requireObjectBody, stringList } from './request-body.js';

const READ_GROUP_SCOPES = ['read:groups', 'read:groups:name', 'read:roles:groups'];

/** The group model with the fields the caller's scopes allow on this group. */
export function groupModel(group: Group, scopes: ReadonlySet<string>, roles: string[]): Record<string, unknown> {
  const target = { groups: [group.name] };
  const model: Record<string, unknown> = { kind: 'group', name: group.name };
  if (grants(scopes, 'read:groups', target)) Object.assign(model, { users: group.users, properties: group.properties });
  if (grants(scopes, 'read:roles:groups', target)) model['roles'] = roles;
  return model;
}

const nameOf = (request: FastifyRequest) => (request.params as { name: string }).name;
const actor = (identity: Identity, request: FastifyRequest) => ({ name: identity.user.name, ip: request.ip });

/** Scope check on a group named in the path, then existence (404 `No such group`). */
async function authorizedGroup(deps: HubDeps, identity: Identity, anyOf: readonly string[], name: string): Promise<Group> {
  requireScope(identity, anyOf, { groups: [name] });
  const group = await deps.groups.get(name);
  if (!group) throw new BulwarkError('HUB_GROUP_NOT_FOUND', { name });
  return group;
}

/** Unknown member names are a bad request here (400 `No such user: x`), not a missing resource. */
async function memberChange<T>(change: Promise<T>): Promise<T> {
  try {
    return await change;
  } catch (error) {
    if (isBulwarkError(error) && error.code === 'IDENTITY_USER_NOT_FOUND') throw new BulwarkError('HUB_API_INVALID', { detail: error.message });
    throw error;
  }
}

function usersFrom(body: Record<string, unknown> | undefined): string[] {
  if (!body || body['users'] === undefined) return [];
  return stringList(body['users'], 'users');
}

export function registerGroupRoutes(api: ApiRegistry, deps: HubDeps): void {
  const model = (group: Group, identity: Identity) => groupModel(group, identity.scopes, deps.roles.groupRoles(group.name));

  api.route(
    {
      method: 'GET',
      path: '/groups',
      summary: 'List groups',
      scopes: ['list:groups'],
      query: ['offset', 'limit'],
      responses: { 200: 'The groups the caller may list (array, or pagination envelope)', 400: 'Bad paging argument', 403: 'No list:groups scope' },
    },
    async (request) => {
      const identity = await requireIdentity(request, deps);
      if (!holdsAny(identity.scopes, 'list:groups')) throw new BulwarkError('AUTH_MISSING_SCOPE', { scopes: 'list:groups' });
      const page = pageOf(request);
      const visible = (await deps.groups.list()).filter((group) => grants(identity.scopes, 'list:groups', { groups: [group.name] }));
      return paginate(request, page, visible.map((group) => model(group, identity)));
    },
  );

  api.route(
    {
      method: 'POST',
      path: '/groups',
      summary: 'Create multiple groups',
      scopes: ['admin:groups'],
      body: '{"groups": [str], "users": [str]}',
      responses: { 201: 'The new groups', 400: 'No names or unknown user', 409: 'A group exists' },
    },
    async (request, reply) => {
      const identity = await requireIdentity(request, deps);
      checkApiXsrf(request, identity, deps);
      requireScope(identity, ['admin:groups']);
      const body = objectBody(request) ?? {};
      const names = body['groups'] === undefined ? [] : stringList(body['groups'], 'groups');
      if (names.length === 0) throw new BulwarkError('HUB_API_INVALID', { detail: 'Must specify at least one group to create' });
      const users = usersFrom(body);
      for (const name of names) if (await deps.groups.get(name)) throw new BulwarkError('HUB_GROUP_EXISTS', { name });
      const created: Group[] = [];
      for (const name of new Set(names)) created.push(await memberChange(deps.groups.create(name, users, actor(identity, request))));
      return reply.code(201).send(created.map((group) => model(group, identity)));
    },
  );

  api.route(
    {
      method: 'GET',
      path: '/groups/{name}',
      summary: 'Get a group by name',
      scopes: READ_GROUP_SCOPES,
      responses: { 200: 'The group model', 404: 'No such group' },
    },
    async (request) => {
      const identity = await requireIdentity(request, deps);
      return model(await authorizedGroup(deps, identity, READ_GROUP_SCOPES, nameOf(request)), identity);
    },
  );

  api.route(
    {
      method: 'POST',
      path: '/groups/{name}',
      summary: 'Create a group',
      scopes: ['admin:groups'],
      body: '{"users": [str]}',
      responses: { 201: 'The new group', 400: 'Bad keys or unknown user', 409: 'Group exists' },
    },
    async (request, reply) => {
      const identity = await requireIdentity(request, deps);
      checkApiXsrf(request, identity, deps);
      const name = nameOf(request);
      requireScope(identity, ['admin:groups'], { groups: [name] });
      const body = objectBody(request);
      if (body) checkKeys(body, ['name', 'users', 'roles', 'properties']);
      if (await deps.groups.get(name)) throw new BulwarkError('HUB_API_CONFLICT', { detail: `Group ${name} already exists` });
      const group = await memberChange(deps.groups.create(name, usersFrom(body), actor(identity, request)));
      return reply.code(201).send(model(group, identity));
    },
  );

  api.route(
    {
      method: 'DELETE',
      path: '/groups/{name}',
      summary: 'Delete a group',
      scopes: ['delete:groups'],
      responses: { 204: 'Deleted', 404: 'No such group' },
    },
    async (request, reply) => {
      const identity = await requireIdentity(request, deps);
      checkApiXsrf(request, identity, deps);
      const group = await authorizedGroup(deps, identity, ['delete:groups'], nameOf(request));
      await deps.groups.remove(group.name, actor(identity, request));
      return reply.code(204).send();
    },
  );

  for (const method of ['POST', 'DELETE'] as const) {
    api.route(
      {
        method,
        path: '/groups/{name}/users',
        summary: method === 'POST' ? 'Add users to a group' : 'Remove users from a group',
        scopes: ['groups'],
        body: '{"users": [str]}',
        responses: { 200: 'The updated group', 400: 'Missing users or unknown user', 404: 'No such group' },
      },
      async (request) => {
        const identity = await requireIdentity(request, deps);
        checkApiXsrf(request, identity, deps);
        const group = await authorizedGroup(deps, identity, ['groups'], nameOf(request));
        const body = requireObjectBody(request);
        if (body['users'] === undefined) throw new BulwarkError('HUB_API_INVALID', { detail: 'Must specify users to add or remove' });
        const users = stringList(body['users'], 'users');
        const by = actor(identity, request);
        const updated = await memberChange(method === 'POST' ? deps.groups.addMembers(group.name, users, by) : deps.groups.removeMembers(group.name, users, by));
        return model(updated, identity);
      },
    );
  }

  api.route(
    {
      method: 'PUT',
      path: '/groups/{name}/properties',
      summary: "Replace a group's properties",
      scopes: ['groups'],
      body: 'any JSON object',
      responses: { 200: 'The updated group', 400: 'Missing or non-object properties', 404: 'No such group' },
    },
    async (request) => {
      const identity = await requireIdentity(request, deps);
      checkApiXsrf(request, identity, deps);
      const group = await authorizedGroup(deps, identity, ['groups'], nameOf(request));
      const body = objectBody(request);
      if (!body) throw new BulwarkError('HUB_API_INVALID', { detail: 'Must specify properties' });
      return model(await deps.groups.setProperties(group.name, body, actor(identity, request)), identity);
    },
  );
}
