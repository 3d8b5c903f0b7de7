import { formatRequirement, normalizeName, type Requirement } from '../../pypkg/index.js';
import type { CandidateFile, CandidatePool } from './candidate-pool.js';
import { requirementApplies } from './requirement-applies.js';
import { releaseTarget } from './release-target.js';

/** One requirement shown satisfied inside the release: `by` needs `requirement`, met by `pin`. */
export interface ProofStep {
  by: string | null;
  requirement: string;
  pin: string;
}

/** A requirement the release does not satisfy for a target. */
export interface ClosureHole {
  target: string;
  project: string;
  requirement: string;
  /** Who needs it: `name version` of a pinned file, or null for the top-level requirements. */
  by: string | null;
  reason: string;
}

export interface TargetProof {
  target: string;
  closed: boolean;
  pins: number;
  steps: ProofStep[];
  holes: ClosureHole[];
  /** Pins nothing requires on this target (allowed, but worth knowing). */
  unused: string[];
}

/** The closure proof of a release: for every target, every requirement satisfied, or the holes. */
export interface ClosureProof {
  release: string;
  closed: boolean;
  targets: TargetProof[];
}

/** What the proof reads of a release. */
export interface ProvableRelease {
  name: string;
  targets: readonly string[];
  topLevel: readonly Requirement[];
  /** target -> project -> filename. */
  pins: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

const who = (by: string | null) => (by === null ? 'the top-level requirements' : by);

function proveTarget(release: ProvableRelease, pool: CandidatePool, targetName: string): TargetProof {
  const target = releaseTarget(targetName);
  const candidates = pool.forTarget(target);
  const applies = requirementApplies(target.markers);
  const holes: ClosureHole[] = [];
  const steps: ProofStep[] = [];
  const pins = new Map<string, CandidateFile>();
  for (const [project, filename] of release.pins.get(targetName) ?? new Map<string, string>()) {
    const candidate = candidates.byFilename(filename);
    if (candidate) pins.set(project, candidate);
    else {
      const why = candidates.exclusions(project).find((e) => e.filename === filename)?.reason ?? 'no longer in the channel';
      holes.push({ target: targetName, project, requirement: filename, by: null, reason: `pinned file ${filename} cannot be used: ${why}` });
    }
  }
  const reached = new Set<string>();
  const expanded = new Set<string>();
  const need = (requirement: Requirement, by: string | null): void => {
    const project = normalizeName(requirement.name);
    const pin = pins.get(project);
    const text = `${requirement.name}${requirement.specifier.toString()}`;
    const shown = formatRequirement(requirement);
    if (!pin) {
      holes.push({ target: targetName, project, requirement: shown, by, reason: `${project} is required by ${who(by)} but the release has no file of it for ${targetName}` });
      return;
    }
    const version = pin.version.toString();
    if (!requirement.specifier.contains(pin.version)) {
      holes.push({ target: targetName, project, requirement: shown, by, reason: `${who(by)} requires ${text} but the release pins ${project} ${version}` });
      return;
    }
    steps.push({ by, requirement: shown, pin: `${project} ${version}` });
    reached.add(project);
    for (const extra of ['', ...requirement.extras.map((e) => normalizeName(e))]) {
      const key = `${project}[${extra}]`;
      if (expanded.has(key)) continue;
      expanded.add(key);
      for (const dependency of pin.requires) if (applies(dependency, extra)) need(dependency, `${project} ${version}`);
    }
  };
  for (const requirement of release.topLevel) if (applies(requirement, '')) need(requirement, null);
  const unused = [...pins.keys()].filter((project) => !reached.has(project)).sort();
  return { target: targetName, closed: holes.length === 0, pins: pins.size, steps, holes, unused };
}

/**
 * Proves (or refutes) that a release is closed: for each target, starting from the top-level
 * requirements, every applicable Requires-Dist of every pinned file (markers and extras evaluated
 * for that target) is satisfied by the one pin of that name, and every pin is still a releasable,
 * compatible file. No resolving is needed: a release has one pin per name and target.
 *
 * @example
 * ```ts
 * const proof = proveClosure(release, await CandidatePool.load(catalog));
 * proof.closed || proof.targets.flatMap((t) => t.holes);
 * ```
 */
export function proveClosure(release: ProvableRelease, pool: CandidatePool): ClosureProof {
  const targets = release.targets.map((target) => proveTarget(release, pool, target));
  return { release: release.name, closed: targets.every((t) => t.closed), targets };
}
