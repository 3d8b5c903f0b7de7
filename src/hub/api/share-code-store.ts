import { hashSecret, randomUrlToken } from '../../identity/index.js';
import type { Database } from '../../storage/index.js';

/** A share code as listed: never the code itself, which exists only in the issuer's hands. */
export interface ShareCodeRecord {
  /** JupyterHub's public form of the id, `sc_<n>`. */
  id: string;
  serverId: number;
  serverName: string;
  ownerId: number;
  ownerName: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  lastExchangedAt: string | null;
  exchangeCount: number;
}

/**
 * Share codes (migration 009): random, stored only as hashes, usable by anyone who holds one
 * until they expire or are revoked; each exchange is counted.
 */
export interface ShareCodeStore {
  issue(serverId: number, scopes: readonly string[], expiresAt: string | null, at: string): Promise<{ code: string; record: ShareCodeRecord }>;
  /** Live codes (not expired at `now`) of one server or of all of an owner's servers. */
  list(filter: { serverId?: number; ownerId?: number }, now: string): Promise<ShareCodeRecord[]>;
  /**
   * Revokes one code (by public id, or by the code if it is still live at `now`) or, with neither,
   * every code of the server; returns how many were deleted.
   */
  revoke(serverId: number, which: { id?: string; code?: string }, now: string): Promise<number>;
  /** The live code's record without using it (the accept page shows what it grants). */
  find(code: string, now: string): Promise<ShareCodeRecord | undefined>;
  /** The live code's record, its use counted; undefined when unknown or expired. */
  exchange(code: string, now: string): Promise<ShareCodeRecord | undefined>;
  /** Deletes codes that expired before `now` (they are refused anyway); returns how many. */
  purgeExpired(now: string): Promise<number>;
}

export function createShareCodeStore(database: Database): ShareCodeStore {
  const db = database.db;

  function base() {
    return db
      .selectFrom('hub_share_codes')
      .innerJoin('servers', 'servers.id', 'hub_share_codes.server_id')
      .innerJoin('users as owner', 'owner.id', 'servers.user_id')
      .select([
        'hub_share_codes.id as rowId',
        'hub_share_codes.server_id as serverId',
        'servers.name as serverName',
        'owner.id as ownerId',
        'owner.name as ownerName',
        'hub_share_codes.scopes as scopes',
        'hub_share_codes.created_at as createdAt',
        'hub_share_codes.expires_at as expiresAt',
        'hub_share_codes.last_exchanged_at as lastExchangedAt',
        'hub_share_codes.exchange_count as exchangeCount',
      ]);
  }

  type Row = Awaited<ReturnType<ReturnType<typeof base>['execute']>>[number];
  const record = ({ rowId, ...row }: Row): ShareCodeRecord => ({ ...row, id: `sc_${rowId}`, scopes: JSON.parse(row.scopes) as string[] });
  const rowIdOf = (id: string): number | undefined => (/^sc_\d{1,15}$/.test(id) ? Number(id.slice(3)) : undefined);

  function live(code: string, now: string) {
    return base()
      .where('hub_share_codes.code_hash', '=', hashSecret(code))
      .where((eb) => eb.or([eb('hub_share_codes.expires_at', 'is', null), eb('hub_share_codes.expires_at', '>', now)]))
      .executeTakeFirst();
  }

  return {
    async issue(serverId, scopes, expiresAt, at) {
      const code = randomUrlToken(24);
      const inserted = await db
        .insertInto('hub_share_codes')
        .values({ server_id: serverId, code_hash: hashSecret(code), scopes: JSON.stringify([...new Set(scopes)].sort()), created_at: at, expires_at: expiresAt, last_exchanged_at: null, exchange_count: 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      const row = await base().where('hub_share_codes.id', '=', inserted.id).executeTakeFirstOrThrow();
      return { code, record: record(row) };
    },
    async list(filter, now) {
      let query = base().where((eb) => eb.or([eb('hub_share_codes.expires_at', 'is', null), eb('hub_share_codes.expires_at', '>', now)]));
      if (filter.serverId !== undefined) query = query.where('hub_share_codes.server_id', '=', filter.serverId);
      if (filter.ownerId !== undefined) query = query.where('owner.id', '=', filter.ownerId);
      return (await query.orderBy('hub_share_codes.id').execute()).map(record);
    },
    async revoke(serverId, which, now) {
      let query = db.deleteFrom('hub_share_codes').where('server_id', '=', serverId);
      if (which.id !== undefined) query = query.where('id', '=', rowIdOf(which.id) ?? -1);
      // As in JupyterHub, a code is looked up only among live ones; an id finds expired ones too.
      if (which.code !== undefined) {
        query = query.where('code_hash', '=', hashSecret(which.code)).where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]));
      }
      const result = await query.executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async find(code, now) {
      const row = await live(code, now);
      return row ? record(row) : undefined;
    },
    async exchange(code, now) {
      const row = await live(code, now);
      if (!row) return undefined;
      await db
        .updateTable('hub_share_codes')
        .set((eb) => ({ last_exchanged_at: now, exchange_count: eb('exchange_count', '+', 1) }))
        .where('id', '=', row.rowId)
        .execute();
      return record({ ...row, lastExchangedAt: now, exchangeCount: row.exchangeCount + 1 });
    },
    async purgeExpired(now) {
      const result = await db.deleteFrom('hub_share_codes').where('expires_at', 'is not', null).where('expires_at', '<=', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
