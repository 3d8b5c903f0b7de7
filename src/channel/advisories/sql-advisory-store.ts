import type { Kysely, Selectable } from 'kysely';
import type { Tables, VettingAdvisoriesTable } from '../../storage/index.js';
import type { Advisory } from './advisory.js';
import { upsertDecision, type AdvisoryStore, type UpsertCounts } from './advisory-store.js';

// SQLite allows 32,766 bound parameters per statement; 15 columns x 400 rows stays well under.
const CHUNK = 400;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function toRow(advisory: Advisory, source: string, now: Date): VettingAdvisoriesTable {
  return {
    id: advisory.id,
    aliases: JSON.stringify(advisory.aliases),
    packages: JSON.stringify(advisory.packages),
    modified: advisory.modified,
    published: advisory.published,
    withdrawn: advisory.withdrawn,
    summary: advisory.summary,
    malicious: advisory.malicious ? 1 : 0,
    severity_score: advisory.severity.score,
    severity_vector: advisory.severity.vector,
    severity_source: advisory.severity.source,
    record: JSON.stringify(advisory.record),
    source,
    imported_at: now.toISOString(),
  };
}

function fromRow(row: Selectable<VettingAdvisoriesTable>): Advisory {
  return {
    id: row.id,
    aliases: JSON.parse(row.aliases) as string[],
    packages: JSON.parse(row.packages) as string[],
    modified: row.modified,
    published: row.published,
    withdrawn: row.withdrawn,
    summary: row.summary,
    malicious: row.malicious === 1,
    severity: { score: row.severity_score, vector: row.severity_vector, source: row.severity_source },
    record: JSON.parse(row.record) as Advisory['record'],
  };
}

/**
 * The advisory database in the `vetting_advisories` tables (SQLite or PostgreSQL).
 *
 * @example
 * ```ts
 * const store = createSqlAdvisoryStore(database.db);
 * await store.forPackage('jinja2');
 * ```
 */
export function createSqlAdvisoryStore(db: Kysely<Tables>): AdvisoryStore {
  return {
    async upsert(advisories, source, now) {
      const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0, changedPackages: [] };
      const changedNames = new Set<string>();
      await db.transaction().execute(async (trx) => {
        for (const batch of chunks(advisories, CHUNK)) {
          const storedRows = await trx.selectFrom('vetting_advisories').selectAll().where('id', 'in', batch.map((a) => a.id)).execute();
          const stored = new Map(storedRows.map((row) => [row.id, fromRow(row)]));
          const fresh: Advisory[] = [];
          const changed: Advisory[] = [];
          for (const advisory of batch) {
            const previous = stored.get(advisory.id);
            if (previous === undefined) fresh.push(advisory);
            else if (upsertDecision(previous, advisory) === 'update') {
              changed.push(advisory);
              for (const name of previous.packages) changedNames.add(name);
            } else counts.unchanged++;
            stored.set(advisory.id, advisory); // a duplicate later in the same batch compares with this copy
          }
          if (changed.length > 0) {
            const ids = changed.map((a) => a.id);
            await trx.deleteFrom('vetting_advisory_packages').where('advisory_id', 'in', ids).execute();
            await trx.deleteFrom('vetting_advisories').where('id', 'in', ids).execute();
          }
          const rows = [...new Map([...fresh, ...changed].map((a) => [a.id, a])).values()];
          if (rows.length === 0) continue;
          for (const a of rows) for (const name of a.packages) changedNames.add(name);
          await trx.insertInto('vetting_advisories').values(rows.map((a) => toRow(a, source, now))).execute();
          const links = rows.flatMap((a) => a.packages.map((name) => ({ advisory_id: a.id, name })));
          for (const part of chunks(links, CHUNK * 4)) await trx.insertInto('vetting_advisory_packages').values(part).execute();
          counts.inserted += new Set(fresh.map((a) => a.id)).size;
          counts.updated += rows.length - new Set(fresh.map((a) => a.id)).size;
        }
      });
      counts.changedPackages = [...changedNames];
      return counts;
    },
    async forPackage(name) {
      const rows = await db
        .selectFrom('vetting_advisories')
        .innerJoin('vetting_advisory_packages', 'vetting_advisory_packages.advisory_id', 'vetting_advisories.id')
        .selectAll('vetting_advisories')
        .where('vetting_advisory_packages.name', '=', name)
        .execute();
      return rows.map(fromRow);
    },
    async get(id) {
      const row = await db.selectFrom('vetting_advisories').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? null : fromRow(row);
    },
    async counts() {
      const row = await db
        .selectFrom('vetting_advisories')
        .select((eb) => [
          eb.fn.countAll<number | string>().as('total'),
          eb.fn.count<number | string>('withdrawn').as('withdrawn'),
          eb.fn.sum<number | string | null>('malicious').as('malicious'),
        ])
        .executeTakeFirstOrThrow();
      const packages = await db
        .selectFrom('vetting_advisory_packages')
        .select((eb) => eb.fn.count<number | string>('name').distinct().as('n'))
        .executeTakeFirstOrThrow();
      // PostgreSQL returns bigint aggregates as strings.
      return { total: Number(row.total), withdrawn: Number(row.withdrawn), malicious: Number(row.malicious ?? 0), packages: Number(packages.n) };
    },
    async recordImport(entry) {
      await db
        .insertInto('vetting_advisory_imports')
        .values({
          source: entry.source,
          format: entry.format,
          imported_at: entry.importedAt,
          records_read: entry.recordsRead,
          inserted: entry.inserted,
          updated: entry.updated,
          unchanged: entry.unchanged,
          skipped: entry.skipped,
          duration_ms: Math.round(entry.durationMs),
        })
        .execute();
    },
    async imports(limit) {
      const rows = await db.selectFrom('vetting_advisory_imports').selectAll().orderBy('id', 'desc').limit(limit).execute();
      return rows.map((r) => ({
        source: r.source,
        format: r.format,
        importedAt: r.imported_at,
        recordsRead: r.records_read,
        inserted: r.inserted,
        updated: r.updated,
        unchanged: r.unchanged,
        skipped: r.skipped,
        durationMs: r.duration_ms,
      }));
    },
  };
}
