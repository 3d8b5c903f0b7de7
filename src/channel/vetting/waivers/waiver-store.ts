import type { Kysely } from 'kysely';
import type { Tables } from '../../../storage/index.js';
import type { Waiver } from './waiver.js';

/** What an approver gives to create a waiver. */
export interface NewWaiver {
  subject: string;
  filename: string;
  reason: string;
  createdBy: string | null;
  expiresAt: Date;
}

/** Waivers per file; the approve/waive commands and the channel's re-vetting read and write them. */
export interface WaiverStore {
  /** Refuses an empty reason or an expiry that is not in the future. */
  create(waiver: NewWaiver, now: Date): Promise<Waiver>;
  forFile(filename: string): Promise<Waiver[]>;
  revoke(id: number, by: string | null, now: Date): Promise<boolean>;
}

/**
 * Checks a new waiver: it must say why and must end.
 *
 * @example
 * ```ts
 * validateWaiver({ subject: 'PYSEC-2023-74', filename, reason: 'not reachable', createdBy: 'ana', expiresAt }, new Date());
 * ```
 */
export function validateWaiver(waiver: NewWaiver, now: Date): string | null {
  if (waiver.reason.trim() === '') return 'a waiver needs a reason';
  if (waiver.subject.trim() === '') return 'a waiver needs an advisory id or finding code';
  if (!(waiver.expiresAt.getTime() > now.getTime())) return 'a waiver must expire in the future';
  return null;
}

/**
 * Waivers in the `vetting_waivers` table.
 *
 * @example
 * ```ts
 * const waivers = createSqlWaiverStore(database.db);
 * await waivers.forFile('demo-1.0-py3-none-any.whl');
 * ```
 */
export function createSqlWaiverStore(db: Kysely<Tables>): WaiverStore {
  return {
    async create(waiver, now) {
      const problem = validateWaiver(waiver, now);
      if (problem !== null) throw new Error(problem);
      const row = {
        subject: waiver.subject.trim(),
        filename: waiver.filename,
        reason: waiver.reason.trim(),
        created_by: waiver.createdBy,
        created_at: now.toISOString(),
        expires_at: waiver.expiresAt.toISOString(),
        revoked_at: null,
        revoked_by: null,
      };
      const { id } = await db.insertInto('vetting_waivers').values(row).returning('id').executeTakeFirstOrThrow();
      return { id, subject: row.subject, filename: row.filename, reason: row.reason, createdBy: row.created_by, createdAt: row.created_at, expiresAt: row.expires_at, revokedAt: null };
    },
    async forFile(filename) {
      const rows = await db.selectFrom('vetting_waivers').selectAll().where('filename', '=', filename).orderBy('id').execute();
      return rows.map((r) => ({
        id: r.id, subject: r.subject, filename: r.filename, reason: r.reason, createdBy: r.created_by,
        createdAt: r.created_at, expiresAt: r.expires_at, revokedAt: r.revoked_at,
      }));
    },
    async revoke(id, by, now) {
      const result = await db
        .updateTable('vetting_waivers')
        .set({ revoked_at: now.toISOString(), revoked_by: by })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
