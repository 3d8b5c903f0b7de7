import type { Advisory, AdvisoryLookup } from './advisory.js';

/** What one upsert did. */
export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Packages of inserted and updated records (old and new names), whose files may match differently now. */
  changedPackages: string[];
}

/** One recorded import, for `advisories status`. */
export interface AdvisoryImportRecord {
  source: string;
  format: string;
  importedAt: string;
  recordsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  durationMs: number;
}

/** Totals of the stored database. */
export interface AdvisoryCounts {
  total: number;
  withdrawn: number;
  malicious: number;
  packages: number;
}

/**
 * The offline advisory database. Production keeps it in SQL ({@link createSqlAdvisoryStore});
 * tests and tools may use {@link createMemoryAdvisoryStore}. Both pass the same suite.
 */
export interface AdvisoryStore extends AdvisoryLookup {
  /** Inserts new records and replaces stored ones when the incoming copy is not older and differs. */
  upsert(advisories: readonly Advisory[], source: string, now: Date): Promise<UpsertCounts>;
  get(id: string): Promise<Advisory | null>;
  counts(): Promise<AdvisoryCounts>;
  recordImport(entry: AdvisoryImportRecord): Promise<void>;
  /** Newest first. */
  imports(limit: number): Promise<AdvisoryImportRecord[]>;
}

/**
 * Decides what an incoming copy of a stored record does: OSV `modified` only moves forward, so an
 * older copy (a stale mirror imported after a fresh one) never replaces a newer one.
 *
 * @example
 * ```ts
 * upsertDecision(stored, incoming); // 'update' | 'unchanged'
 * ```
 */
export function upsertDecision(stored: Advisory, incoming: Advisory): 'update' | 'unchanged' {
  if (stored.modified !== null && incoming.modified !== null && incoming.modified < stored.modified) return 'unchanged';
  return JSON.stringify(stored) === JSON.stringify(incoming) ? 'unchanged' : 'update';
}

/**
 * An in-memory advisory store.
 *
 * @example
 * ```ts
 * const store = createMemoryAdvisoryStore();
 * await store.upsert([advisory], 'test', new Date());
 * ```
 */
export function createMemoryAdvisoryStore(): AdvisoryStore {
  const byId = new Map<string, Advisory>();
  const byPackage = new Map<string, Set<string>>();
  const history: AdvisoryImportRecord[] = [];
  const index = (advisory: Advisory, add: boolean) => {
    for (const name of advisory.packages) {
      const ids = byPackage.get(name) ?? new Set<string>();
      if (add) ids.add(advisory.id);
      else ids.delete(advisory.id);
      byPackage.set(name, ids);
    }
  };
  return {
    async upsert(advisories) {
      const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0, changedPackages: [] };
      const changed = new Set<string>();
      for (const advisory of advisories) {
        const stored = byId.get(advisory.id);
        if (stored !== undefined && upsertDecision(stored, advisory) === 'unchanged') {
          counts.unchanged++;
          continue;
        }
        if (stored !== undefined) index(stored, false);
        for (const name of [...advisory.packages, ...(stored?.packages ?? [])]) changed.add(name);
        byId.set(advisory.id, advisory);
        index(advisory, true);
        counts[stored === undefined ? 'inserted' : 'updated']++;
      }
      counts.changedPackages = [...changed];
      return counts;
    },
    async forPackage(name) {
      return [...(byPackage.get(name) ?? [])].map((id) => byId.get(id)).filter((a): a is Advisory => a !== undefined);
    },
    async get(id) {
      return byId.get(id) ?? null;
    },
    async counts() {
      const all = [...byId.values()];
      const packages = [...byPackage.values()].filter((ids) => ids.size > 0).length;
      return { total: all.length, withdrawn: all.filter((a) => a.withdrawn !== null).length, malicious: all.filter((a) => a.malicious).length, packages };
    },
    async recordImport(entry) {
      history.unshift(entry);
    },
    async imports(limit) {
      return history.slice(0, limit);
    },
  };
}
