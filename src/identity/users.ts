import type { Kysely, Selectable } from 'kysely';
import { BulwarkError } from '../errors/index.js';
import type { Actor, AuditLog } from '../log/index.js';
import { reusableQuery, type Tables, type UsersTable } from '../storage/index.js';
import { isoNow, type Clock } from './clock.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords.js';
import { randomHexToken } from './secrets.js';
import { normalizeUsername, validateUsername } from './username.js';

export interface User {
  id: number;
  name: string;
  admin: boolean;
  authorized: boolean;
  email: string | null;
  hasPassword: boolean;
  cookieId: string;
  failedLogins: number;
  lockedUntil: string | null;
  createdAt: string;
  lastActivity: string | null;
}

export interface NewUser {
  name: string;
  password?: string;
  admin?: boolean;
  authorized?: boolean;
  email?: string | null;
}

/** A users row as the rest of Bulwark sees it; exported so list queries can map rows they fetched themselves. */
export function userFromRow(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    name: row.name,
    admin: row.admin === 1,
    authorized: row.authorized === 1,
    email: row.email,
    hasPassword: row.password_hash !== null,
    cookieId: row.cookie_id,
    failedLogins: row.failed_logins,
    lockedUntil: row.locked_until,
    createdAt: row.created_at,
    lastActivity: row.last_activity,
  };
}

export type PasswordLoginResult =
  | { ok: true; user: User }
  | { ok: false; reason: 'unknown-user' | 'wrong-password' | 'no-password' | 'locked'; user?: User };

export interface UserStore {
  create(input: NewUser, by: Actor): Promise<User>;
  get(name: string): Promise<User | undefined>;
  getById(id: number): Promise<User | undefined>;
  require(name: string): Promise<User>;
  list(): Promise<User[]>;
  /** Whether any admin exists; stops at the first one (start-up asks it, so it must not read every user). */
  anyAdmin(): Promise<boolean>;
  remove(name: string, by: Actor): Promise<void>;
  setAdmin(name: string, admin: boolean, by: Actor): Promise<User>;
  /** JupyterHub's PATCH rename: the row, its tokens and group memberships keep their ids. */
  rename(name: string, newName: string, by: Actor): Promise<User>;
  setAuthorized(name: string, authorized: boolean, by: Actor): Promise<User>;
  setPassword(name: string, password: string, by: Actor): Promise<void>;
  /** Checks a password; re-hashes imported bcrypt hashes on success. Never says which part failed to callers. */
  checkPassword(name: string, password: string): Promise<PasswordLoginResult>;
  recordLoginFailure(name: string, policy: { allowedFailedLogins: number; lockSeconds: number }): Promise<void>;
  clearLoginFailures(name: string): Promise<void>;
  touch(id: number, when?: string): Promise<void>;
  groupsOf(id: number): Promise<string[]>;
  /** `get` and `groupsOf` in one query: the user a request names, with the groups its scope check needs. */
  getWithGroups(name: string): Promise<{ user: User; groups: string[] } | undefined>;
}

/**
 * Queries of every API request (the user a path names, the caller's and the target's groups),
 * built and compiled once: Kysely's query building cost more than SQLite's work on them.
 */
const userByName = reusableQuery((db: Kysely<Tables>, name: string) => db.selectFrom('users').selectAll().where('name', '=', name), 1);
const groupNamesOf = reusableQuery(
  (db: Kysely<Tables>, userId: string) =>
    db
      .selectFrom('user_groups')
      .innerJoin('groups', 'groups.id', 'user_groups.group_id')
      .select('groups.name')
      .where('user_groups.user_id', '=', userId as unknown as number)
      .orderBy('groups.name'),
  1,
);
const userWithGroupsByName = reusableQuery(
  (db: Kysely<Tables>, name: string) =>
    db
      .selectFrom('users')
      .leftJoin('user_groups', 'user_groups.user_id', 'users.id')
      .leftJoin('groups', 'groups.id', 'user_groups.group_id')
      .selectAll('users')
      .select('groups.name as group_name')
      .where('users.name', '=', name)
      .orderBy('groups.name'),
  1,
);

export function createUserStore(deps: { db: Kysely<Tables>; audit: AuditLog; clock: Clock }): UserStore {
  const { db, audit, clock } = deps;

  async function require(name: string): Promise<User> {
    const user = await get(name);
    if (!user) throw new BulwarkError('IDENTITY_USER_NOT_FOUND', { name });
    return user;
  }

  async function get(name: string): Promise<User | undefined> {
    const [row] = await userByName(db, normalizeUsername(name));
    return row ? userFromRow(row) : undefined;
  }

  return {
    async create(input, by) {
      const name = validateUsername(normalizeUsername(input.name));
      if (await get(name)) throw new BulwarkError('IDENTITY_USER_EXISTS', { name });
      const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
      const row = await db
        .insertInto('users')
        .values({
          name,
          admin: input.admin ? 1 : 0,
          authorized: input.authorized ? 1 : 0,
          password_hash: passwordHash,
          email: input.email ?? null,
          cookie_id: randomHexToken(),
          failed_logins: 0,
          locked_until: null,
          created_at: isoNow(clock),
          last_activity: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit.record(by, {
        action: 'user.create',
        target: name,
        detail: { admin: row.admin === 1, authorized: row.authorized === 1 },
      });
      return userFromRow(row);
    },
    get,
    async getById(id) {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? userFromRow(row) : undefined;
    },
    require,
    async anyAdmin() {
      return (await db.selectFrom('users').select('id').where('admin', '=', 1).limit(1).executeTakeFirst()) !== undefined;
    },
    async list() {
      const rows = await db.selectFrom('users').selectAll().orderBy('name').execute();
      return rows.map(userFromRow);
    },
    async remove(name, by) {
      const user = await require(name);
      await db.deleteFrom('users').where('id', '=', user.id).execute();
      await audit.record(by, { action: 'user.remove', target: user.name });
    },
    async setAdmin(name, admin, by) {
      const user = await require(name);
      await db.updateTable('users').set({ admin: admin ? 1 : 0 }).where('id', '=', user.id).execute();
      await audit.record(by, { action: admin ? 'user.admin.grant' : 'user.admin.revoke', target: user.name });
      return { ...user, admin };
    },
    async rename(name, newName, by) {
      const user = await require(name);
      const target = validateUsername(normalizeUsername(newName));
      if (target === user.name) return user;
      if (await get(target)) throw new BulwarkError('IDENTITY_USER_EXISTS', { name: target });
      await db.updateTable('users').set({ name: target }).where('id', '=', user.id).execute();
      await audit.record(by, { action: 'user.rename', target: user.name, detail: { new_name: target } });
      return { ...user, name: target };
    },
    async setAuthorized(name, authorized, by) {
      const user = await require(name);
      await db.updateTable('users').set({ authorized: authorized ? 1 : 0 }).where('id', '=', user.id).execute();
      await audit.record(by, { action: authorized ? 'user.authorize' : 'user.unauthorize', target: user.name });
      return { ...user, authorized };
    },
    async setPassword(name, password, by) {
      const user = await require(name);
      // A new password also ends every existing browser login (new cookie_id).
      await db
        .updateTable('users')
        .set({ password_hash: await hashPassword(password), cookie_id: randomHexToken(), failed_logins: 0, locked_until: null })
        .where('id', '=', user.id)
        .execute();
      await db.deleteFrom('sessions').where('user_id', '=', user.id).execute();
      await audit.record(by, { action: 'user.password.change', target: user.name });
    },
    async checkPassword(name, password) {
      const row = await db.selectFrom('users').selectAll().where('name', '=', normalizeUsername(name)).executeTakeFirst();
      if (!row) {
        await verifyPassword(await dummyPasswordHash(), password);
        return { ok: false, reason: 'unknown-user' };
      }
      const user = userFromRow(row);
      if (row.locked_until !== null && row.locked_until > isoNow(clock)) {
        return { ok: false, reason: 'locked', user };
      }
      if (row.password_hash === null) return { ok: false, reason: 'no-password', user };
      const check = await verifyPassword(row.password_hash, password);
      if (!check.ok) return { ok: false, reason: 'wrong-password', user };
      if (check.needsRehash) {
        await db.updateTable('users').set({ password_hash: await hashPassword(password) }).where('id', '=', row.id).execute();
      }
      return { ok: true, user };
    },
    async recordLoginFailure(name, policy) {
      const user = await get(name);
      if (!user) return;
      const failures = user.failedLogins + 1;
      const lock = policy.allowedFailedLogins > 0 && failures >= policy.allowedFailedLogins;
      await db
        .updateTable('users')
        .set({
          failed_logins: lock ? 0 : failures,
          locked_until: lock ? new Date(clock().getTime() + policy.lockSeconds * 1000).toISOString() : user.lockedUntil,
        })
        .where('id', '=', user.id)
        .execute();
    },
    async clearLoginFailures(name) {
      await db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('name', '=', normalizeUsername(name)).execute();
    },
    async touch(id, when) {
      await db.updateTable('users').set({ last_activity: when ?? isoNow(clock) }).where('id', '=', id).execute();
    },
    async groupsOf(id) {
      return (await groupNamesOf(db, id)).map((row) => row.name);
    },
    async getWithGroups(name) {
      // One row per group (one with a null group when there is none), the user's columns repeated.
      const rows = await userWithGroupsByName(db, normalizeUsername(name));
      const first = rows[0];
      if (first === undefined) return undefined;
      const groups: string[] = [];
      for (const row of rows) if (row.group_name !== null) groups.push(row.group_name);
      return { user: userFromRow(first), groups };
    },
  };
}
