import { normalizeName } from '../../../pypkg/index.js';
import { finding, type Finding } from '../finding.js';
import type { VettingStep } from '../vetting-step.js';
import { nameDistance, skeleton } from './name-distance.js';
import { POPULAR_PROJECT_NAMES } from './popular-names.js';

// Affixes squatters add to a famous name ("python-requests", "requests-py").
const AFFIXES = [/^(python|py)-?(.+)$/, /^(.+?)-?(python|py|3)$/];

/** What a new name is close to, or null. */
function closest(name: string, candidates: Iterable<string>, distance: number): { target: string; how: string } | null {
  const shape = skeleton(name);
  for (const target of candidates) {
    if (target === name) return null;
  }
  for (const target of candidates) {
    // Very short names are a few edits from hundreds of others; only look-alikes count for them.
    if (shape === skeleton(target)) return { target, how: 'looks the same once separators and look-alike characters are ignored' };
    if (target.length >= 5 && nameDistance(name, target, distance) <= distance) return { target, how: `is within ${distance} edit(s)` };
    for (const affix of AFFIXES) {
      const m = affix.exec(name);
      const core = m === null ? null : (m[1] === 'python' || m[1] === 'py' ? m[2] : m[1]);
      if (core === target && target.length >= 4) return { target, how: 'adds a python/py prefix or suffix' };
    }
  }
  return null;
}

/**
 * Names: a project that is new to the channel and whose name is close to a popular or an
 * existing project (typosquatting) is held for a person to decide; an approver waives the
 * NAME_TYPOSQUAT finding if the project is genuine.
 */
export const namesStep: VettingStep = {
  name: 'names',
  async run(wheel, context) {
    if (wheel.wheelName === null) throw new Error('the file name gives no project name');
    const name = normalizeName(wheel.wheelName.name);
    const distance = context.policy.typosquatDistance;
    if (distance === 0 || context.knownProjects.has(name)) return { findings: [] };
    const candidates = [...new Set([...POPULAR_PROJECT_NAMES, ...context.knownProjects])];
    const hit = closest(name, candidates, distance);
    const findings: Finding[] = [];
    if (hit !== null) {
      findings.push(finding('NAME_TYPOSQUAT', `new project "${name}" ${hit.how} of "${hit.target}"`, { name, similarTo: hit.target, reason: hit.how }));
    }
    return { findings };
  },
};
