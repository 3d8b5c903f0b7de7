import type { OsvAffected, OsvRecord } from '../../pypkg/index.js';

/** Where an advisory's severity came from. */
export type SeveritySource = 'cvss_v3' | 'label' | 'none';

/** The severity the policy compares against `block_at_cvss`. */
export interface AdvisorySeverity {
  /** CVSS base score, or the lower bound of a label's band (HIGH -> 7.0); null when unknown. */
  score: number | null;
  vector: string | null;
  source: SeveritySource;
}

/**
 * One OSV record as the channel keeps it: the fields matching needs (affected entries limited to
 * PyPI, events and versions as strings), plus what reports and policy show.
 */
export interface Advisory {
  id: string;
  aliases: readonly string[];
  /** PEP 503-normalised names of the PyPI packages it affects. */
  packages: readonly string[];
  modified: string | null;
  published: string | null;
  withdrawn: string | null;
  summary: string;
  /** OSV `MAL-` records (or an alias of one): malicious releases, always blocked. */
  malicious: boolean;
  severity: AdvisorySeverity;
  /** The trimmed record `isAffected` evaluates. */
  record: OsvRecord & { affected: readonly OsvAffected[] };
}

/**
 * Looks advisories up by package; the vetting step and re-checks read through this.
 *
 * @example
 * ```ts
 * const lookup: AdvisoryLookup = { forPackage: async () => [] };
 * ```
 */
export interface AdvisoryLookup {
  forPackage(name: string): Promise<readonly Advisory[]>;
}

/**
 * A lookup over advisories held in memory (tests, the CLI's `vet` without a database).
 *
 * @example
 * ```ts
 * const lookup = memoryAdvisoryLookup(advisories);
 * await lookup.forPackage('jinja2');
 * ```
 */
export function memoryAdvisoryLookup(advisories: Iterable<Advisory>): AdvisoryLookup {
  const byPackage = new Map<string, Advisory[]>();
  for (const advisory of advisories) {
    for (const name of advisory.packages) {
      const list = byPackage.get(name) ?? [];
      list.push(advisory);
      byPackage.set(name, list);
    }
  }
  return { forPackage: async (name) => byPackage.get(name) ?? [] };
}
