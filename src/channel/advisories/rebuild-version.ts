import { Version, tryParseVersion } from '../../pypkg/index.js';

/**
 * The upstream version a channel rebuild stands for: `2.3.3.post0` (or `2.3.3+z1`) -> `2.3.3`.
 * Only for files the publisher marked as rebuilds; a real upstream post-release must keep its
 * own identity. Unparsable versions come back unchanged.
 *
 * @example
 * ```ts
 * upstreamVersion('2.3.3.post0'); // '2.3.3'
 * ```
 */
export function upstreamVersion(version: string): string {
  const parsed = tryParseVersion(version);
  if (parsed === null || (parsed.post === null && parsed.localSegments === null)) return version;
  return Version.fromParts({ ...parsed, post: null, localSegments: null }).toString();
}
