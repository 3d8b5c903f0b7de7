import { normalizeName, type Requirement } from '../../pypkg/index.js';
import type { CandidateFile, TargetCandidates } from './candidate-pool.js';
import { explainConflict, type Conflict } from './explain-conflict.js';
import { requirementApplies } from './requirement-applies.js';

/** A requirement and who asked for it: `by` is `name version` of a pinned file, or null for the top level. */
export interface Demand {
  requirement: Requirement;
  by: string | null;
  /** Projects whose decisions made this demand exist (the pin that requires it, and whoever asked for the extra). */
  causes: readonly string[];
}

/** A needed project with no usable file at all for the target: what the closure proof calls a hole. */
export interface ResolutionHole {
  project: string;
  demands: readonly Demand[];
}

/** The outcome for one target: pins (one per project) and holes, or the conflict that stopped it. */
export type TargetResolution =
  | { ok: true; pins: ReadonlyMap<string, CandidateFile>; holes: readonly ResolutionHole[]; attempts: number }
  | { ok: false; conflict: Conflict; attempts: number };

export interface ResolveOptions {
  /** Project -> version to try first (the pins of the `--from` release). */
  preferred?: ReadonlyMap<string, string>;
  /** Decisions tried before giving up (backtracking is exponential in the worst case). */
  maxAttempts?: number;
}

interface State {
  pins: Map<string, CandidateFile>;
  demands: Map<string, readonly Demand[]>;
  extras: Map<string, ReadonlySet<string>>;
  holes: Map<string, readonly Demand[]>;
}

/** A dead end, and the projects whose decisions caused it (conflict-directed backjumping skips the others). */
type Failure = { conflict: Conflict; culprits: ReadonlySet<string> };

const clone = (s: State): State => ({ pins: new Map(s.pins), demands: new Map(s.demands), extras: new Map(s.extras), holes: new Map(s.holes) });

/**
 * Picks, for one target, one candidate file per needed project so that every applicable
 * Requires-Dist (markers and extras evaluated for the target) is satisfied. A small backtracking
 * search: the most constrained project is decided first, newest (or the preferred pin) tried first.
 * Projects with no usable file at all are recorded as holes instead of failing, so a draft can
 * show every missing piece at once; a version clash is a conflict, explained.
 */
export function resolveTarget(topLevel: readonly Requirement[], pool: TargetCandidates, options: ResolveOptions = {}): TargetResolution {
  const applies = requirementApplies(pool.target.markers);
  const maxAttempts = options.maxAttempts ?? 20_000;
  let attempts = 0;

  const causesOf = (state: State, project: string, into: Set<string>): Set<string> => {
    for (const demand of state.demands.get(project) ?? []) for (const cause of demand.causes) into.add(cause);
    return into;
  };

  const conflictAt = (state: State, project: string, pinned: CandidateFile | null): Failure => ({
    conflict: explainConflict(pool, project, state.demands.get(project) ?? [], pinned),
    culprits: causesOf(state, project, new Set(pinned ? [project] : [])),
  });

  const addRequirement = (state: State, demand: Demand): Failure | null => {
    const project = normalizeName(demand.requirement.name);
    const pin = state.pins.get(project);
    if (!pin && pool.candidates(project).length === 0) {
      state.holes.set(project, [...(state.holes.get(project) ?? []), demand]);
      return null;
    }
    state.demands.set(project, [...(state.demands.get(project) ?? []), demand]);
    const known = state.extras.get(project) ?? new Set<string>();
    const added = demand.requirement.extras.map((extra) => normalizeName(extra)).filter((extra) => !known.has(extra));
    if (added.length > 0) state.extras.set(project, new Set([...known, ...added]));
    if (!pin) return null;
    if (!demand.requirement.specifier.contains(pin.version)) return conflictAt(state, project, pin);
    return added.length > 0 ? addDependencies(state, pin, added, demand.causes) : null;
  };

  const addDependencies = (state: State, pin: CandidateFile, extras: readonly string[], extraCauses: readonly string[]): Failure | null => {
    const by = `${pin.project} ${pin.version.toString()}`;
    for (const requirement of pin.requires) {
      if (!extras.some((extra) => applies(requirement, extra))) continue;
      // A dependency that comes with an extra also depends on whoever asked for that extra.
      const causes = requirement.marker !== null && extras.some((extra) => extra !== '' && applies(requirement, extra)) ? [pin.project, ...extraCauses] : [pin.project];
      const failure = addRequirement(state, { requirement, by, causes });
      if (failure) return failure;
    }
    return null;
  };

  const decide = (state: State, project: string, candidate: CandidateFile): State | Failure => {
    const next = clone(state);
    next.pins.set(project, candidate);
    const extraCauses = [...causesOf(state, project, new Set())];
    const failure = addDependencies(next, candidate, ['', ...(next.extras.get(project) ?? [])], extraCauses);
    return failure ?? next;
  };

  const viable = (state: State, project: string): CandidateFile[] => {
    const demands = state.demands.get(project) ?? [];
    return pool.candidates(project).filter((c) => demands.every((d) => d.requirement.specifier.contains(c.version)));
  };

  /**
   * Decides the most constrained open project and recurses. When every candidate fails, the
   * failure names its culprits; a level whose project is not among them returns at once
   * (backjumping): trying its other candidates could not help, and chronological backtracking
   * over such levels is what makes naive resolvers exponential.
   */
  const search = (state: State): State | Failure => {
    let best: { project: string; options: CandidateFile[] } | undefined;
    for (const project of state.demands.keys()) {
      if (state.pins.has(project)) continue;
      const options = viable(state, project);
      if (options.length === 0) return conflictAt(state, project, null);
      if (!best || options.length < best.options.length) best = { project, options };
    }
    if (!best) return state;
    const { project } = best;
    const wanted = options.preferred?.get(project);
    const ordered = wanted === undefined ? best.options : [...best.options].sort((a, b) => Number(b.version.toString() === wanted) - Number(a.version.toString() === wanted));
    // Candidates the demands filtered out were ruled out by their causes: those are culprits too.
    const culprits = causesOf(state, project, new Set());
    let first: Failure | undefined;
    for (const candidate of ordered) {
      if (++attempts > maxAttempts) break;
      const next = decide(state, project, candidate);
      const outcome = 'conflict' in next ? next : search(next);
      if (!('conflict' in outcome)) return outcome;
      first ??= outcome;
      if (!outcome.culprits.has(project)) return outcome;
      for (const culprit of outcome.culprits) if (culprit !== project) culprits.add(culprit);
    }
    culprits.delete(project);
    return { conflict: (first ?? conflictAt(state, project, null)).conflict, culprits };
  };

  const start: State = { pins: new Map(), demands: new Map(), extras: new Map(), holes: new Map() };
  for (const requirement of topLevel) {
    if (requirement.marker !== null && !applies(requirement, '')) continue;
    const failure = addRequirement(start, { requirement, by: null, causes: [] });
    if (failure) return { ok: false, conflict: failure.conflict, attempts };
  }
  const outcome = search(start);
  if ('conflict' in outcome) return { ok: false, conflict: outcome.conflict, attempts };
  const holes = [...outcome.holes].map(([project, demands]) => ({ project, demands }));
  return { ok: true, pins: outcome.pins, holes, attempts };
}
