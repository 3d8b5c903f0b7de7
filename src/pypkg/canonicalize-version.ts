import { tryParseVersion } from "./parse-version.js";
import { Version } from "./version.js";

/**
 * Returns the canonical form of a version (PEP 625 style: trailing zeros of
 * the release stripped unless `stripTrailingZero` is false). Strings that are
 * not versions come back unchanged.
 *
 * @example
 * ```ts
 * canonicalizeVersion("1.0.0"); // "1"
 * canonicalizeVersion("1.0.0", { stripTrailingZero: false }); // "1.0.0"
 * canonicalizeVersion("foo bar"); // "foo bar"
 * ```
 */
export function canonicalizeVersion(
  version: string | Version,
  options: { stripTrailingZero?: boolean } = {},
): string {
  const parsed = typeof version === "string" ? tryParseVersion(version) : version;
  if (parsed === null) return typeof version === "string" ? version : version.toString();
  if (options.stripTrailingZero === false) return parsed.toString();
  const release = [...parsed.release];
  while (release.length > 1 && release[release.length - 1] === 0) release.pop();
  return Version.fromParts({ ...partsOf(parsed), release }).toString();
}

function partsOf(v: Version): Parameters<typeof Version.fromParts>[0] {
  return {
    epoch: v.epoch,
    release: v.release,
    pre: v.pre,
    post: v.post,
    dev: v.dev,
    localSegments: v.localSegments,
  };
}
