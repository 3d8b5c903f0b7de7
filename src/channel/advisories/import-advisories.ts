import type { Advisory } from './advisory.js';
import type { AdvisoryStore } from './advisory-store.js';
import { parseOsvRecord } from './parse-osv-record.js';
import { detectAdvisorySource, readAdvisorySource, type AdvisorySourceFormat } from './read-advisory-source.js';

/** What an import did; `changedPackages` tells a re-check which files can have new matches. */
export interface AdvisoryImportResult {
  source: string;
  format: AdvisorySourceFormat;
  recordsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Documents that were not usable records (parse errors, no PyPI package). */
  skipped: number;
  /** Up to 20 of the skipped documents with the reason, for the administrator. */
  problems: { origin: string; error: string }[];
  /** Records whose id appeared more than once in the source (the newest copy won). */
  duplicateIds: number;
  withdrawn: number;
  malicious: number;
  changedPackages: string[];
  durationMs: number;
}

const BATCH = 2000;

/**
 * Imports an advisory source (osv.dev `PyPI/all.zip`, a directory of OSV JSON, or the
 * pypa/advisory-database YAML layout) into the store and records the run. Unusable documents
 * are counted and listed, never fatal.
 *
 * @example
 * ```ts
 * const result = await importAdvisories('/srv/osv/all.zip', store);
 * result.changedPackages; // re-check files of these projects
 * ```
 */
export async function importAdvisories(path: string, store: AdvisoryStore, options: { now?: () => Date } = {}): Promise<AdvisoryImportResult> {
  const now = options.now ?? (() => new Date());
  const started = performance.now();
  const format = await detectAdvisorySource(path);
  const result: AdvisoryImportResult = {
    source: path, format, recordsRead: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0,
    problems: [], duplicateIds: 0, withdrawn: 0, malicious: 0, changedPackages: [], durationMs: 0,
  };
  const seen = new Set<string>();
  const changed = new Set<string>();
  let batch: Advisory[] = [];
  const flush = async () => {
    const counts = await store.upsert(batch, path, now());
    result.inserted += counts.inserted;
    result.updated += counts.updated;
    result.unchanged += counts.unchanged;
    for (const name of counts.changedPackages) changed.add(name);
    batch = [];
  };
  for await (const doc of readAdvisorySource(path)) {
    result.recordsRead++;
    const parsed = 'raw' in doc ? parseOsvRecord(doc.raw) : { error: doc.error };
    if ('error' in parsed) {
      result.skipped++;
      if (result.problems.length < 20) result.problems.push({ origin: doc.origin, error: parsed.error });
      continue;
    }
    const { advisory } = parsed;
    if (seen.has(advisory.id)) result.duplicateIds++;
    seen.add(advisory.id);
    if (advisory.withdrawn !== null) result.withdrawn++;
    if (advisory.malicious) result.malicious++;
    batch.push(advisory);
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  result.changedPackages = [...changed].sort();
  result.durationMs = performance.now() - started;
  await store.recordImport({
    source: path, format, importedAt: now().toISOString(), recordsRead: result.recordsRead, inserted: result.inserted,
    updated: result.updated, unchanged: result.unchanged, skipped: result.skipped, durationMs: result.durationMs,
  });
  return result;
}
