import type { CandidateFile, TargetCandidates } from './candidate-pool.js';
import type { Demand } from './resolve-target.js';

/** Why a project's requirements cannot all be met for a target, in terms a person can act on. */
export interface Conflict {
  target: string;
  project: string;
  /** Every requirement on the project, and who made it (null: the top-level requirements). */
  requirements: { requirement: string; by: string | null }[];
  /** The version already chosen that a later requirement rejects, if that is the clash. */
  pinned: string | null;
  /** Usable versions for the target, and for each the requirements it fails. */
  versions: { version: string; fails: string[] }[];
  /** Files of the project that do not count for the target, and why. */
  excluded: { filename: string; reason: string }[];
  /** One paragraph saying all of the above. */
  message: string;
}

const who = (by: string | null) => (by === null ? 'the top-level requirements' : by);
const requirementText = (demand: Demand) => {
  const { requirement } = demand;
  return `${requirement.name}${requirement.extras.length > 0 ? `[${requirement.extras.join(',')}]` : ''}${requirement.specifier.toString() || ' (any version)'}`;
};

/**
 * Explains a dead end of the resolver: which requirements (of which packages) clash on which
 * project, which approved versions exist for the target and which requirement each one fails.
 *
 * @example
 * ```ts
 * explainConflict(pool, 'lib', demands, null).message;
 * // 'no approved version of lib satisfies every requirement on it: lib>=2 (from the top-level requirements), lib<2 (from app 1.0); ...'
 * ```
 */
export function explainConflict(pool: TargetCandidates, project: string, demands: readonly Demand[], pinned: CandidateFile | null): Conflict {
  const requirements = demands.map((d) => ({ requirement: requirementText(d), by: d.by }));
  const versions = pool.candidates(project).map((c) => ({
    version: c.version.toString(),
    fails: demands.filter((d) => !d.requirement.specifier.contains(c.version)).map((d) => `${requirementText(d)} of ${who(d.by)}`),
  }));
  const excluded = pool.exclusions(project).map((e) => ({ ...e }));
  const asked = requirements.map((r) => `${r.requirement} (from ${who(r.by)})`).join(', ');
  const parts: string[] = [];
  if (pinned !== null) {
    const last = demands.at(-1);
    parts.push(
      `${project} ${pinned.version.toString()} was chosen, but ${last ? `${who(last.by)} requires ${requirementText(last)}` : 'a later requirement rejects it'}; no choice of the other packages avoids this`,
    );
  } else {
    parts.push(`no approved version of ${project} satisfies every requirement on it: ${asked}`);
  }
  parts.push(
    versions.length === 0
      ? `no file of ${project} is usable for ${pool.target.name}`
      : `usable versions for ${pool.target.name}: ${versions.map((v) => (v.fails.length === 0 ? v.version : `${v.version} (fails ${v.fails.join('; ')})`)).join(', ')}`,
  );
  if (excluded.length > 0) parts.push(`not usable: ${excluded.map((e) => `${e.filename} (${e.reason})`).join(', ')}`);
  parts.push(`approve a version of ${project} that meets all of them, or change the requirement that cannot be met`);
  return { target: pool.target.name, project, requirements, pinned: pinned?.version.toString() ?? null, versions, excluded, message: parts.join('; ') };
}
