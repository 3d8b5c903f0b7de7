import { compareVersions } from '../../pypkg/index.js';
import type { ReleasePin } from './release-store.js';
import type { ReleaseVulnerability } from './vulnerability-report.js';

/** How one project's pin changed on one target between two releases. */
export interface PinChange {
  target: string;
  project: string;
  kind: 'added' | 'removed' | 'upgraded' | 'downgraded' | 'rebuilt';
  from: string | null;
  to: string | null;
}

/** An advisory, on one project version, that one release has and the other has not. */
export interface AdvisoryChange {
  id: string;
  project: string;
  version: string;
  summary: string;
}

export interface ReleaseDiff {
  from: string;
  to: string;
  changes: PinChange[];
  advisoriesFixed: AdvisoryChange[];
  advisoriesIntroduced: AdvisoryChange[];
}

function advisoryKeys(vulnerabilities: readonly ReleaseVulnerability[]): Map<string, AdvisoryChange> {
  // Keyed by advisory and project: moving to a version still affected is neither fixed nor new.
  return new Map(vulnerabilities.map((v) => [`${v.match.id} ${v.project}`, { id: v.match.id, project: v.project, version: v.version, summary: v.match.summary }]));
}

/**
 * What changed from release `from` to release `to`: per target and project, added, removed,
 * upgraded, downgraded or rebuilt (same version, another file), and which advisories the move
 * fixes or introduces.
 *
 * @example
 * ```ts
 * diffReleases({ name: 'a', pins: aPins, vulnerabilities: [] }, { name: 'b', pins: bPins, vulnerabilities: [] }).changes;
 * ```
 */
export function diffReleases(
  from: { name: string; pins: readonly ReleasePin[]; vulnerabilities: readonly ReleaseVulnerability[] },
  to: { name: string; pins: readonly ReleasePin[]; vulnerabilities: readonly ReleaseVulnerability[] },
): ReleaseDiff {
  const key = (pin: ReleasePin) => `${pin.target}|${pin.project}`;
  const before = new Map(from.pins.map((pin) => [key(pin), pin]));
  const after = new Map(to.pins.map((pin) => [key(pin), pin]));
  const changes: PinChange[] = [];
  for (const k of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(k);
    const b = after.get(k);
    const [target = '', project = ''] = k.split('|');
    if (!a && b) changes.push({ target, project, kind: 'added', from: null, to: b.version });
    else if (a && !b) changes.push({ target, project, kind: 'removed', from: a.version, to: null });
    else if (a && b && a.filename !== b.filename) {
      const order = compareVersions(a.version, b.version);
      changes.push({ target, project, kind: order < 0 ? 'upgraded' : order > 0 ? 'downgraded' : 'rebuilt', from: a.version, to: b.version });
    }
  }
  const had = advisoryKeys(from.vulnerabilities);
  const has = advisoryKeys(to.vulnerabilities);
  return {
    from: from.name,
    to: to.name,
    changes,
    advisoriesFixed: [...had].filter(([k]) => !has.has(k)).map(([, v]) => v),
    advisoriesIntroduced: [...has].filter(([k]) => !had.has(k)).map(([, v]) => v),
  };
}
