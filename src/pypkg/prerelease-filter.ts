import { tryParseVersion } from "./parse-version.js";
import type { Version } from "./version.js";

/**
 * Something that can be filtered by a specifier: a version string or a parsed
 * version.
 *
 * @example
 * ```ts
 * const items: VersionLike[] = ["1.0", parseVersion("2.0")];
 * ```
 */
export type VersionLike = string | Version;

/**
 * Parses a version-like value, returning `null` for strings that are not
 * PEP 440 versions.
 *
 * @example
 * ```ts
 * coerceVersion("1.0")?.toString(); // "1.0"
 * coerceVersion("latest"); // null
 * ```
 */
export function coerceVersion(value: VersionLike): Version | null {
  return typeof value === "string" ? tryParseVersion(value) : value;
}

/**
 * Applies a pre-release policy to items that already matched: `true` keeps
 * everything, `false` drops pre-releases, `null` follows PEP 440 (pre-releases
 * only when no final release matched; strings that are not versions are kept).
 *
 * @example
 * ```ts
 * applyPrereleasePolicy(["1.0a1", "1.0"], (x) => x, null); // ["1.0"]
 * applyPrereleasePolicy(["1.0a1"], (x) => x, null); // ["1.0a1"]
 * ```
 */
export function applyPrereleasePolicy<T>(
  items: Iterable<T>,
  key: (item: T) => VersionLike,
  prereleases: boolean | null,
): T[] {
  if (prereleases === true) return [...items];
  if (prereleases === false) {
    return [...items].filter((item) => !(coerceVersion(key(item))?.isPrerelease ?? false));
  }
  const out: T[] = [];
  const nonFinal: T[] = [];
  const arbitrary: T[] = [];
  let foundFinal = false;
  for (const item of items) {
    const parsed = coerceVersion(key(item));
    if (parsed === null) {
      if (foundFinal) out.push(item);
      else {
        arbitrary.push(item);
        nonFinal.push(item);
      }
    } else if (!parsed.isPrerelease) {
      if (!foundFinal) {
        out.push(...arbitrary);
        foundFinal = true;
      }
      out.push(item);
    } else if (!foundFinal) {
      nonFinal.push(item);
    }
  }
  return foundFinal ? out : nonFinal;
}

/**
 * Filters items with a membership test on parsed versions (unparsable items
 * are dropped), then applies the pre-release policy as PEP 440 asks.
 *
 * @example
 * ```ts
 * filterParsed(["1.0", "2.0a1", "x"], (x) => x, (v) => v.major === 2, null); // ["2.0a1"]
 * ```
 */
export function filterParsed<T>(
  items: Iterable<T>,
  key: (item: T) => VersionLike,
  test: (version: Version) => boolean,
  prereleases: boolean | null,
): T[] {
  const out: T[] = [];
  const buffer: T[] = [];
  let foundFinal = false;
  for (const item of items) {
    const parsed = coerceVersion(key(item));
    if (parsed === null) continue;
    if (prereleases === false && parsed.isPrerelease) continue;
    if (!test(parsed)) continue;
    if (prereleases === true || !parsed.isPrerelease) {
      if (!parsed.isPrerelease) foundFinal = true;
      out.push(item);
    } else if (!foundFinal) {
      buffer.push(item);
    }
  }
  return prereleases === null && !foundFinal ? buffer : out;
}
