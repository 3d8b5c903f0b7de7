import { isAffected } from '../../pypkg/index.js';
import type { Advisory, AdvisorySeverity } from './advisory.js';
import { upstreamVersion } from './rebuild-version.js';

/** One vulnerability (all records that alias each other) that affects a file. */
export interface AdvisoryMatch {
  /** The id shown first: MAL- before PYSEC- before GHSA- before the rest. */
  id: string;
  /** Every id and alias of the merged records, sorted. */
  ids: readonly string[];
  malicious: boolean;
  /** The highest severity among the merged records. */
  severity: AdvisorySeverity;
  summary: string;
  /** The version that was compared (the upstream version for a rebuild). */
  version: string;
}

const PREFERENCE = ['MAL-', 'PYSEC-', 'GHSA-'];

function rank(id: string): number {
  const index = PREFERENCE.findIndex((prefix) => id.startsWith(prefix));
  return index === -1 ? PREFERENCE.length : index;
}

function higher(a: AdvisorySeverity, b: AdvisorySeverity): AdvisorySeverity {
  if (a.score === null) return b;
  if (b.score === null) return a;
  return b.score > a.score ? b : a;
}

/** Groups advisories that share an id or alias (aliases are symmetric and transitive in OSV). */
function groupByAlias(advisories: readonly Advisory[]): Advisory[][] {
  const groupOf = new Map<string, number>();
  const groups: (Advisory[] | null)[] = [];
  for (const advisory of advisories) {
    const keys = [advisory.id, ...advisory.aliases];
    const existing = [...new Set(keys.map((k) => groupOf.get(k)).filter((g): g is number => g !== undefined))];
    const target = existing[0] ?? groups.length;
    if (existing.length === 0) groups.push([]);
    const merged = groups[target] as Advisory[];
    for (const other of existing.slice(1)) {
      for (const moved of groups[other] ?? []) merged.push(moved);
      groups[other] = null;
      for (const [key, group] of groupOf) if (group === other) groupOf.set(key, target);
    }
    merged.push(advisory);
    for (const key of keys) groupOf.set(key, target);
  }
  return groups.filter((g): g is Advisory[] => g !== null);
}

/**
 * Matches a package version against advisories with OSV semantics (`isAffected`: listed
 * versions U sorted ECOSYSTEM ranges, withdrawn records never match) and merges the matches
 * that alias each other into one. With `rebuild`, the upstream version is compared.
 *
 * @example
 * ```ts
 * matchAdvisories(await lookup.forPackage('jinja2'), 'jinja2', '2.11.2').map((m) => m.id); // ['PYSEC-2021-66']
 * ```
 */
export function matchAdvisories(advisories: readonly Advisory[], name: string, version: string, options: { rebuild?: boolean } = {}): AdvisoryMatch[] {
  const compared = options.rebuild === true ? upstreamVersion(version) : version;
  const hits = advisories.filter((advisory) => isAffected(advisory.record, compared, { package: name }));
  return groupByAlias(hits).map((group) => {
    const ids = [...new Set(group.flatMap((a) => [a.id, ...a.aliases]))].sort();
    const primary = [...group].sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id))[0] as Advisory;
    return {
      id: primary.id,
      ids,
      malicious: group.some((a) => a.malicious),
      severity: group.map((a) => a.severity).reduce(higher),
      summary: primary.summary,
      version: compared,
    };
  });
}
