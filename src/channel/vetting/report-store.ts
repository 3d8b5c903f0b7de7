import type { Kysely } from 'kysely';
import type { Tables } from '../../storage/index.js';
import type { VettingReport } from './vetting-report.js';

/** Stored reports; the newest per file is the current one (older ones stay as history). */
export interface VettingReportStore {
  save(report: VettingReport, now: Date): Promise<void>;
  latest(filename: string): Promise<VettingReport | null>;
}

/**
 * Reports in the `vetting_reports` table.
 *
 * @example
 * ```ts
 * const reports = createSqlReportStore(database.db);
 * await reports.save(report, new Date());
 * ```
 */
export function createSqlReportStore(db: Kysely<Tables>): VettingReportStore {
  return {
    async save(report, now) {
      await db
        .insertInto('vetting_reports')
        .values({ filename: report.filename, sha256: report.sha256, status: report.status, report: JSON.stringify(report), created_at: now.toISOString() })
        .execute();
    },
    async latest(filename) {
      const row = await db.selectFrom('vetting_reports').select('report').where('filename', '=', filename).orderBy('id', 'desc').limit(1).executeTakeFirst();
      return row === undefined ? null : (JSON.parse(row.report) as VettingReport);
    },
  };
}
