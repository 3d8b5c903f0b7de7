import { compareParsed, parseVersion } from '../../pypkg/index.js';
import type { CandidatePool } from './candidate-pool.js';
import type { ReleasePin } from './release-store.js';
import { releaseTarget } from './release-target.js';
import type { ReleaseVulnerability } from './vulnerability-report.js';

/** A pinned project with newer approved versions usable on the same target. */
export interface NewerVersions {
  target: string;
  project: string;
  pinned: string;
  newer: string[];
}

/** How current a release is: newer approved versions, and advisories affecting it now. */
export interface CurrencyReport {
  release: string;
  checkedAt: string;
  newer: NewerVersions[];
  vulnerabilities: ReleaseVulnerability[];
}

/**
 * Lists, per target, the approved versions newer than each pin (pre-releases only when the pin is
 * one), next to the advisories that affect the release today.
 *
 * @example
 * ```ts
 * releaseCurrency('1.0', pins, pool, vulnerabilities, now).newer;
 * ```
 */
export function releaseCurrency(release: string, pins: readonly ReleasePin[], pool: CandidatePool, vulnerabilities: ReleaseVulnerability[], checkedAt: string): CurrencyReport {
  const newer: NewerVersions[] = [];
  const targets = new Map<string, ReturnType<CandidatePool['forTarget']>>();
  for (const pin of pins) {
    let candidates = targets.get(pin.target);
    if (!candidates) targets.set(pin.target, (candidates = pool.forTarget(releaseTarget(pin.target))));
    const pinned = parseVersion(pin.version);
    const versions = candidates
      .candidates(pin.project)
      .filter((c) => compareParsed(c.version, pinned) > 0 && (pinned.isPrerelease || !c.version.isPrerelease))
      .map((c) => c.version.toString());
    if (versions.length > 0) newer.push({ target: pin.target, project: pin.project, pinned: pin.version, newer: versions });
  }
  return { release, checkedAt, newer, vulnerabilities };
}
