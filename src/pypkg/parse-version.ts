import { Version } from "./version.js";

/**
 * Parses a PEP 440 version string, throwing `InvalidVersion` on bad input.
 *
 * @example
 * ```ts
 * parseVersion("1.0.0-RC1").toString(); // "1.0.0rc1"
 * ```
 */
export function parseVersion(text: string): Version {
  return Version.parse(text);
}

/**
 * Parses a PEP 440 version string, returning `null` instead of throwing.
 *
 * @example
 * ```ts
 * tryParseVersion("0.7.10p1"); // null
 * ```
 */
export function tryParseVersion(text: string): Version | null {
  try {
    return Version.parse(text);
  } catch {
    return null;
  }
}
