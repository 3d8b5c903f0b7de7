import type { Kysely } from 'kysely';
import { BulwarkError } from '../errors/index.js';
import type { Actor, AuditLog } from '../log/index.js';
import type { Tables } from '../storage/index.js';
import { normalizeUsername } from './username.js';

export interface Group {
  id: number;
  name: string;
  properties: Record<string, unknown>;
  /** Member user names, sorted. */
  users: string[];
}

export interface GroupStore {
  /** Every group, ordered by id (JupyterHub's order), with members. */
  list(): Promise<Group[]>;
  get(name: string): Promise<Group | undefined>;
  create(name: string, members: readonly string[], by: Actor): Promise<Group>;
  remove(name: string, by: Actor): Promise<void>;
  addMembers(name: string, members: readonly string[], by: Actor): Promise<Group>;
  removeMembers(name: string, members: readonly string[], by: Actor): Promise<Group>;
  setProperties(name: string, properties: Record<string, unknown>, by: Actor): Promise<Group>;
}

/** Group names are free text in JupyterHub; we only refuse what cannot be a URL path segment. */
export function validateGroupName(name: string): string {
  const hasControl = [...name].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);
  if (name.length === 0 || name.length > 255 || /[/\\]/.test(name) || hasControl) {
    throw new BulwarkError('HUB_INVALID_GROUP_NAME', { name });
  }
  return name;
}

export function createGroupStore(deps: { db: Kysely<Tables>; audit: AuditLog }): GroupStore {
  const { db, audit } = deps;

  async function membersById(): Promise<Map<number, string[]>> {
    const rows = await db
      .selectFrom('user_groups')
      .innerJoin('users', 'users.id', 'user_groups.user_id')
      .select(['user_groups.group_id', 'users.name'])
      .orderBy('users.name')
      .execute();
    const out = new Map<number, string[]>();
    for (const row of rows) out.set(row.group_id, [...(out.get(row.group_id) ?? []), row.name]);
    return out;
  }

  async function get(name: string): Promise<Group | undefined> {
    const row = await db.selectFrom('groups').selectAll().where('name', '=', name).executeTakeFirst();
    if (!row) return undefined;
    const members = await db
      .selectFrom('user_groups')
      .innerJoin('users', 'users.id', 'user_groups.user_id')
      .select('users.name')
      .where('user_groups.group_id', '=', row.id)
      .orderBy('users.name')
      .execute();
    return { id: row.id, name: row.name, properties: JSON.parse(row.properties) as Record<string, unknown>, users: members.map((m) => m.name) };
  }

  async function require(name: string): Promise<Group> {
    const group = await get(name);
    if (!group) throw new BulwarkError('HUB_GROUP_NOT_FOUND', { name });
    return group;
  }

  /** Resolves every name first, so an unknown user changes nothing. */
  async function userIds(names: readonly string[]): Promise<number[]> {
    const ids: number[] = [];
    for (const name of names) {
      const row = await db.selectFrom('users').select('id').where('name', '=', normalizeUsername(name)).executeTakeFirst();
      if (!row) throw new BulwarkError('IDENTITY_USER_NOT_FOUND', { name });
      ids.push(row.id);
    }
    return ids;
  }

  async function addMembers(name: string, members: readonly string[], by: Actor): Promise<Group> {
    const group = await require(name);
    const ids = await userIds(members);
    for (const id of ids) {
      await db
        .insertInto('user_groups')
        .values({ user_id: id, group_id: group.id })
        .onConflict((oc) => oc.columns(['user_id', 'group_id']).doNothing())
        .execute();
    }
    if (ids.length > 0) await audit.record(by, { action: 'group.members.add', target: name, detail: { users: [...members] } });
    return require(name);
  }

  return {
    async list() {
      const rows = await db.selectFrom('groups').selectAll().orderBy('id').execute();
      const members = await membersById();
      return rows.map((row) => ({
        id: row.id,
        name: row.name,
        properties: JSON.parse(row.properties) as Record<string, unknown>,
        users: members.get(row.id) ?? [],
      }));
    },
    get,
    async create(name, members, by) {
      validateGroupName(name);
      if (await get(name)) throw new BulwarkError('HUB_GROUP_EXISTS', { name });
      await userIds(members);
      await db.insertInto('groups').values({ name, properties: '{}' }).execute();
      await audit.record(by, { action: 'group.create', target: name });
      return addMembers(name, members, by);
    },
    async remove(name, by) {
      const group = await require(name);
      await db.deleteFrom('user_groups').where('group_id', '=', group.id).execute();
      await db.deleteFrom('groups').where('id', '=', group.id).execute();
      await audit.record(by, { action: 'group.remove', target: name });
    },
    addMembers,
    async removeMembers(name, members, by) {
      const group = await require(name);
      const ids = await userIds(members);
      if (ids.length > 0) {
        await db.deleteFrom('user_groups').where('group_id', '=', group.id).where('user_id', 'in', ids).execute();
        await audit.record(by, { action: 'group.members.remove', target: name, detail: { users: [...members] } });
      }
      return require(name);
    },
    async setProperties(name, properties, by) {
      const group = await require(name);
      await db.updateTable('groups').set({ properties: JSON.stringify(properties) }).where('id', '=', group.id).execute();
      await audit.record(by, { action: 'group.properties.set', target: name });
      return require(name);
    },
  };
}
