import { evaluateMarker, type MarkerEnvironment, type Requirement } from '../../pypkg/index.js';

/** Decides whether a Requires-Dist applies on a target when its package is installed with `extra` ('' = none). */
export type AppliesFn = (requirement: Requirement, extra: string) => boolean;

function mentionsExtra(requirement: Requirement): boolean {
  return /\bextra\b/.test(requirement.marker?.toString() ?? '');
}

/**
 * Marker evaluation for one target, cached per requirement: the resolver asks the same question
 * again after every backtrack. A requirement without an `extra` marker belongs to the package's
 * base dependencies (asked with extra ''); with one, only to the extras it names.
 *
 * @example
 * ```ts
 * const applies = requirementApplies(releaseTarget('cp312-zos_s390x').markers);
 * applies(parseRequirement('foo; platform_machine == "s390x"'), ''); // true
 * ```
 */
export function requirementApplies(markers: MarkerEnvironment): AppliesFn {
  const cache = new WeakMap<Requirement, Map<string, boolean>>();
  return (requirement, extra) => {
    if (requirement.marker === null) return extra === '';
    let byExtra = cache.get(requirement);
    if (!byExtra) cache.set(requirement, (byExtra = new Map()));
    let value = byExtra.get(extra);
    if (value === undefined) {
      try {
        value = evaluateMarker(requirement.marker, { ...markers, extra });
      } catch {
        value = false; // a marker comparing what the target cannot define never applies
      }
      if (extra !== '' && value && !mentionsExtra(requirement)) value = false;
      byExtra.set(extra, value);
    }
    return value;
  };
}
