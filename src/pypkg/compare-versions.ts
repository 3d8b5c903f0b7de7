import { Version } from "./version.js";

function toVersion(value: string | Version): Version {
  return typeof value === "string" ? Version.parse(value) : value;
}

/**
 * Compares two versions by PEP 440 rules: -1 if `a` sorts first, 0 if they
 * are equal, 1 otherwise. Strings are parsed (throwing `InvalidVersion`).
 *
 * @example
 * ```ts
 * compareVersions("1.0", "1.0.0"); // 0
 * compareVersions("1.0rc1", "1.0"); // -1
 * ```
 */
export function compareVersions(a: string | Version, b: string | Version): -1 | 0 | 1 {
  return toVersion(a).compare(toVersion(b));
}

/**
 * Returns a new array of the versions in ascending PEP 440 order (stable for
 * equal versions such as `1.0` and `1.0.0`).
 *
 * @example
 * ```ts
 * sortVersions(["1.0", "1.0a1", "0.9"]); // ["0.9", "1.0a1", "1.0"]
 * ```
 */
export function sortVersions<T extends string | Version>(versions: readonly T[]): T[] {
  const keyed = versions.map((item) => ({ item, version: toVersion(item) }));
  keyed.sort((x, y) => x.version.compare(y.version));
  return keyed.map((entry) => entry.item);
}
