import { sql, type Kysely } from 'kysely';
import { reusableQuery, type Database, type Tables } from '../../storage/index.js';
import { createShareCodeStore, type ShareCodeStore } from './share-code-store.js';

/** Who a share grants access to: one user or one group. */
export type Grantee = { kind: 'user'; id: number } | { kind: 'group'; id: number };

/** A share row with the names the Share model shows. */
export interface ShareRecord {
  serverId: number;
  serverName: string;
  ownerId: number;
  ownerName: string;
  user: string | null;
  group: string | null;
  scopes: string[];
  createdAt: string;
}

export interface ShareFilter {
  serverId?: number;
  ownerId?: number;
  userId?: number;
  groupId?: number;
}

/**
 * JupyterHub 5 shares in the database (migration 009): at most one row per server and grantee;
 * granting again adds scopes, revoking removes them, and a row without scopes is deleted.
 */
export interface ShareStore {
  list(filter: ShareFilter): Promise<ShareRecord[]>;
  get(serverId: number, grantee: Grantee): Promise<ShareRecord | undefined>;
  grant(serverId: number, grantee: Grantee, scopes: readonly string[], at: string): Promise<void>;
  /** Removes `scopes` (all when undefined); deletes the share when none remain. */
  revoke(serverId: number, grantee: Grantee, scopes?: readonly string[]): Promise<void>;
  revokeAll(serverId: number): Promise<void>;
  /** Scopes shared with the user directly or through any of their groups. */
  scopesOf(userId: number): Promise<string[]>;
  /** The user's groups (by name, sorted) and `scopesOf`, in one query: what every request of theirs needs. */
  groupsAndScopesOf(userId: number): Promise<{ groups: string[]; shared: string[] }>;
  /** The id of the user's server of that name, if the hub knows it (shares need a server row). */
  serverId(ownerId: number, serverName: string): Promise<number | undefined>;
  /** Share codes, exchanged for shares. */
  codes: ShareCodeStore;
}

/** Share rows granted to the user directly or to any of their groups. */
function sharesGrantedTo(db: Kysely<Tables>, userId: number) {
  return db
    .selectFrom('hub_shares')
    .where((eb) =>
      eb.or([
        eb('hub_shares.user_id', '=', userId),
        eb('hub_shares.group_id', 'in', eb.selectFrom('user_groups').select('user_groups.group_id').where('user_groups.user_id', '=', userId)),
      ]),
    );
}

/** Every request by a user asks this (identify.ts): built and compiled once, not per request. */
const sharedScopesOf = reusableQuery((db: Kysely<Tables>, userId: string) => sharesGrantedTo(db, userId as unknown as number).select('scopes'), 1);

/** groupsAndScopesOf: group names (kind g) and share rows' scopes (kind s) of one user, unioned. */
const groupsAndSharesOf = reusableQuery(
  (db: Kysely<Tables>, userId: string) =>
    db
      .selectFrom('user_groups')
      .innerJoin('groups', 'groups.id', 'user_groups.group_id')
      .select([sql<string>`'g'`.as('kind'), 'groups.name as value'])
      .where('user_groups.user_id', '=', userId as unknown as number)
      .unionAll(sharesGrantedTo(db, userId as unknown as number).select([sql<string>`'s'`.as('kind'), 'hub_shares.scopes as value'])),
  1,
);

export function createShareStore(database: Database): ShareStore {
  const db = database.db;

  function base() {
    return db
      .selectFrom('hub_shares')
      .innerJoin('servers', 'servers.id', 'hub_shares.server_id')
      .innerJoin('users as owner', 'owner.id', 'servers.user_id')
      .leftJoin('users as grantee', 'grantee.id', 'hub_shares.user_id')
      .leftJoin('groups', 'groups.id', 'hub_shares.group_id')
      .select([
        'hub_shares.server_id as serverId',
        'servers.name as serverName',
        'owner.id as ownerId',
        'owner.name as ownerName',
        'grantee.name as user',
        'groups.name as group',
        'hub_shares.scopes as scopes',
        'hub_shares.created_at as createdAt',
      ]);
  }

  type Row = Awaited<ReturnType<ReturnType<typeof base>['execute']>>[number];
  const record = (row: Row): ShareRecord => ({ ...row, scopes: JSON.parse(row.scopes) as string[] });
  const column = (grantee: Grantee) => (grantee.kind === 'user' ? 'hub_shares.user_id' : 'hub_shares.group_id') as 'hub_shares.user_id';

  async function get(serverId: number, grantee: Grantee): Promise<ShareRecord | undefined> {
    const row = await base().where('hub_shares.server_id', '=', serverId).where(column(grantee), '=', grantee.id).executeTakeFirst();
    return row ? record(row) : undefined;
  }

  return {
    async list(filter) {
      let query = base();
      if (filter.serverId !== undefined) query = query.where('hub_shares.server_id', '=', filter.serverId);
      if (filter.ownerId !== undefined) query = query.where('owner.id', '=', filter.ownerId);
      if (filter.userId !== undefined) query = query.where('hub_shares.user_id', '=', filter.userId);
      if (filter.groupId !== undefined) query = query.where('hub_shares.group_id', '=', filter.groupId);
      const rows = await query.orderBy('hub_shares.id').execute();
      return rows.map(record);
    },
    get,
    async grant(serverId, grantee, scopes, at) {
      await db.transaction().execute(async (trx) => {
        const existing = await trx.selectFrom('hub_shares').select(['id', 'scopes']).where('server_id', '=', serverId).where(column(grantee), '=', grantee.id).executeTakeFirst();
        if (existing) {
          const merged = [...new Set([...(JSON.parse(existing.scopes) as string[]), ...scopes])].sort();
          await trx.updateTable('hub_shares').set({ scopes: JSON.stringify(merged) }).where('id', '=', existing.id).execute();
          return;
        }
        await trx
          .insertInto('hub_shares')
          .values({
            server_id: serverId,
            user_id: grantee.kind === 'user' ? grantee.id : null,
            group_id: grantee.kind === 'group' ? grantee.id : null,
            scopes: JSON.stringify([...new Set(scopes)].sort()),
            created_at: at,
          })
          .execute();
      });
    },
    async revoke(serverId, grantee, scopes) {
      await db.transaction().execute(async (trx) => {
        const existing = await trx.selectFrom('hub_shares').select(['id', 'scopes']).where('server_id', '=', serverId).where(column(grantee), '=', grantee.id).executeTakeFirst();
        if (!existing) return;
        const left = scopes === undefined ? [] : (JSON.parse(existing.scopes) as string[]).filter((scope) => !scopes.includes(scope));
        if (left.length === 0) await trx.deleteFrom('hub_shares').where('id', '=', existing.id).execute();
        else await trx.updateTable('hub_shares').set({ scopes: JSON.stringify(left) }).where('id', '=', existing.id).execute();
      });
    },
    async revokeAll(serverId) {
      await db.deleteFrom('hub_shares').where('server_id', '=', serverId).execute();
    },
    codes: createShareCodeStore(database),
    async serverId(ownerId, serverName) {
      const row = await db.selectFrom('servers').select('id').where('user_id', '=', ownerId).where('name', '=', serverName).executeTakeFirst();
      return row?.id;
    },
    async scopesOf(userId) {
      const rows = await sharedScopesOf(db, userId);
      return rows.flatMap((row) => JSON.parse(row.scopes) as string[]);
    },
    async groupsAndScopesOf(userId) {
      const groups: string[] = [];
      const shared: string[] = [];
      for (const row of await groupsAndSharesOf(db, userId)) {
        if (row.kind === 'g') groups.push(row.value);
        else shared.push(...(JSON.parse(row.value) as string[]));
      }
      // Sorted, as groupsOf gives them: the scopes computed from them do not depend on row order.
      return { groups: groups.sort(), shared };
    },
  };
}
