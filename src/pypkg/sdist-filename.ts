import { InvalidSdistFilename, InvalidVersion } from "./errors.js";
import { normalizeName } from "./name.js";
import { Version } from "./version.js";

/**
 * Parses a source distribution file name (`name-version.tar.gz` or `.zip`);
 * the name comes back normalised. Throws `InvalidSdistFilename`.
 *
 * @example
 * ```ts
 * const s = parseSdistFilename("Foo_Bar-1.0.tar.gz");
 * s.name; // "foo-bar"
 * s.version.toString(); // "1.0"
 * ```
 */
export function parseSdistFilename(filename: string): { name: string; version: Version } {
  const fail = (why: string): never => {
    throw new InvalidSdistFilename(`Invalid sdist filename (${why}): '${filename}'`, filename);
  };
  const ext = filename.endsWith(".tar.gz") ? ".tar.gz" : filename.endsWith(".zip") ? ".zip" : null;
  if (ext === null) return fail("extension must be '.tar.gz' or '.zip'");
  const stem = filename.slice(0, -ext.length);
  const dash = stem.lastIndexOf("-");
  if (dash === -1) return fail("no version");
  if (dash === 0) return fail("empty project name");
  try {
    return { name: normalizeName(stem.slice(0, dash)), version: Version.parse(stem.slice(dash + 1)) };
  } catch (error) {
    if (!(error instanceof InvalidVersion)) throw error;
    return fail("invalid version");
  }
}
