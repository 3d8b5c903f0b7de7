import { supportedTags, tagToString, targetEnvironment, UnknownTarget, type MarkerEnvironment, type TargetEnvironment } from '../../pypkg/index.js';
import { BulwarkError } from '../../errors/index.js';

/**
 * One environment a release is built for: the full marker environment and the wheel tags its
 * installer accepts, ranked as pip ranks them (lower is preferred).
 */
export interface ReleaseTarget {
  name: string;
  environment: TargetEnvironment;
  markers: MarkerEnvironment;
  /** Tag string -> preference (0 = the most specific tag the interpreter accepts). */
  tagRank: ReadonlyMap<string, number>;
}

/**
 * Builds a target from a pypkg target name such as `cp312-manylinux_x86_64` or `cp313-zos_s390x`.
 *
 * @example
 * ```ts
 * releaseTarget('cp312-zos_s390x').markers.sys_platform; // 'zos'
 * ```
 */
export function releaseTarget(name: string): ReleaseTarget {
  let environment: TargetEnvironment;
  try {
    environment = targetEnvironment(name);
  } catch (error) {
    if (error instanceof UnknownTarget) throw new BulwarkError('CHANNEL_RELEASE_INVALID', { detail: error.message });
    throw error;
  }
  // Computed once per target: resolving asks for every file's compatibility.
  const tagRank = new Map<string, number>();
  supportedTags(environment).forEach((tag, rank) => {
    const key = tagToString(tag);
    if (!tagRank.has(key)) tagRank.set(key, rank);
  });
  return { name, environment, markers: environment.markers, tagRank };
}

/** The interpreter part of a target name (`cp312`), which the toolkit's comment names. */
export function targetInterpreter(target: string): string {
  return target.split('-')[0] ?? target;
}
