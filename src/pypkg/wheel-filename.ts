import { InvalidTag, InvalidVersion, InvalidWheelFilename } from "./errors.js";
import { normalizeName } from "./name.js";
import { parseTag, type Tag } from "./tag.js";
import { Version } from "./version.js";

/**
 * The parts of a wheel file name (binary distribution format / PEP 427).
 * `build` is `null` or `[number, rest]` (a build tag starts with digits).
 *
 * @example
 * ```ts
 * const w: WheelFilename = parseWheelFilename("foo-1.0-1a-py3-none-any.whl");
 * w.build; // [1, "a"]
 * ```
 */
export interface WheelFilename {
  name: string;
  version: Version;
  build: readonly [number, string] | null;
  tags: Tag[];
}

/**
 * Parses a wheel file name; the name comes back PEP 503-normalised. Throws
 * `InvalidWheelFilename` on a wrong extension, part count, name, version,
 * build tag or tag set. With `validateOrder`, compressed tag sets must be
 * sorted.
 *
 * @example
 * ```ts
 * const w = parseWheelFilename("Argon2_CFFI-23.1.0-cp37-abi3-manylinux_2_17_x86_64.whl");
 * w.name; // "argon2-cffi"
 * w.version.toString(); // "23.1.0"
 * ```
 */
export function parseWheelFilename(filename: string, options: { validateOrder?: boolean } = {}): WheelFilename {
  const fail = (why: string): never => {
    throw new InvalidWheelFilename(`Invalid wheel filename (${why}): '${filename}'`, filename);
  };
  if (!filename.endsWith(".whl")) fail("extension must be '.whl'");
  const stem = filename.slice(0, -4);
  const dashes = stem.split("-").length - 1;
  if (dashes !== 4 && dashes !== 5) fail("wrong number of parts");
  const parts = stem.split("-");
  const namePart = parts[0] as string;
  if (namePart.includes("__") || !/^[\p{L}\p{N}_.]+$/u.test(namePart)) fail("invalid project name");
  let version: Version;
  try {
    version = Version.parse(parts[1] as string);
  } catch (error) {
    if (!(error instanceof InvalidVersion)) throw error;
    return fail("invalid version");
  }
  let build: [number, string] | null = null;
  if (dashes === 5) {
    const m = /^([0-9]+)(.*)$/s.exec(parts[2] as string);
    if (m === null) return fail(`invalid build number '${parts[2] as string}'`);
    build = [Number(m[1]), m[2] as string];
  }
  let tags: Tag[];
  try {
    tags = parseTag(parts.slice(-3).join("-"), options);
  } catch (error) {
    if (!(error instanceof InvalidTag)) throw error;
    return fail(error.message);
  }
  return { name: normalizeName(namePart), version, build, tags };
}

/**
 * Builds a wheel file name from its parts, escaping the name as the binary
 * distribution format asks (runs of `-_.` become `_`) and compressing tags
 * that share two components.
 *
 * @example
 * ```ts
 * formatWheelFilename({ name: "foo-bar", version: parseVersion("1.0"), build: null, tags: parseTag("py2.py3-none-any") });
 * // "foo_bar-1.0-py2.py3-none-any.whl"
 * ```
 */
export function formatWheelFilename(wheel: WheelFilename): string {
  const name = wheel.name.replace(/[-_.]+/g, "_");
  const build = wheel.build === null ? "" : `-${wheel.build[0]}${wheel.build[1]}`;
  const unique = (values: string[]): string => [...new Set(values)].sort().join(".");
  const interpreters = unique(wheel.tags.map((t) => t.interpreter));
  const abis = unique(wheel.tags.map((t) => t.abi));
  const platforms = unique(wheel.tags.map((t) => t.platform));
  return `${name}-${wheel.version.toString()}${build}-${interpreters}-${abis}-${platforms}.whl`;
}
