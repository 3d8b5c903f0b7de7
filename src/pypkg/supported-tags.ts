import type { Tag } from "./tag.js";
import { tagToString } from "./tag.js";
import type { TargetEnvironment, TargetPlatform } from "./target-environment.js";

const LEGACY_MANYLINUX: Readonly<Record<string, string>> = { "2_17": "manylinux2014", "2_12": "manylinux2010", "2_5": "manylinux1" };
const LEGACY_2014_ARCHES = new Set(["x86_64", "i686", "aarch64", "armv7l", "ppc64", "ppc64le", "s390x"]);
const LEGACY_OLD_ARCHES = new Set(["x86_64", "i686"]);

/**
 * Platform tags a target accepts, most specific first, in packaging's order
 * for Linux: `linux_<arch>`, then `manylinux_2_N_<arch>` from the target's glibc
 * down to 2.17 (2.5 on x86_64), each followed by its legacy alias
 * (`manylinux2014`/`2010`/`1`), or `musllinux_1_N_<arch>` for musl targets.
 *
 * @example
 * ```ts
 * platformTags({ kind: "manylinux", arch: "s390x", glibc: [2, 17] }); // ["linux_s390x", "manylinux_2_17_s390x", "manylinux2014_s390x"]
 * ```
 */
export function platformTags(platform: TargetPlatform): string[] {
  if (platform.kind === "fixed") return [...platform.tags];
  const arch = platform.arch;
  const out = [`linux_${arch}`];
  if (platform.kind === "musllinux") {
    for (let minor = platform.musl[1]; minor >= 0; minor--) out.push(`musllinux_${platform.musl[0]}_${minor}_${arch}`);
    return out;
  }
  const lowest = arch === "x86_64" || arch === "i686" ? 5 : 17;
  for (let minor = platform.glibc[1]; minor >= lowest; minor--) {
    out.push(`manylinux_2_${minor}_${arch}`);
    const legacy = LEGACY_MANYLINUX[`2_${minor}`];
    const allowed = legacy === "manylinux2014" ? LEGACY_2014_ARCHES : LEGACY_OLD_ARCHES;
    if (legacy !== undefined && allowed.has(arch)) out.push(`${legacy}_${arch}`);
  }
  return out;
}

/**
 * Every tag an installer on the target accepts, in priority order, as
 * packaging's `sys_tags()` would list them for that CPython: `cpXY-cpXY-*`,
 * `cpXY-abi3-*`, `cpXY-none-*`, older `cp3N-abi3-*`, then `py3N-none-*`,
 * `cpXY-none-any` and `py3N-none-any`.
 *
 * @example
 * ```ts
 * const tags = supportedTags(targetEnvironment("cp312-manylinux_x86_64"));
 * tags.some((t) => tagToString(t) === "cp39-abi3-manylinux2014_x86_64"); // true
 * tags.at(-1); // { interpreter: "py30", abi: "none", platform: "any" }
 * ```
 */
export function supportedTags(target: TargetEnvironment): Tag[] {
  const [major, minor] = target.pythonVersion;
  const platforms = platformTags(target.platform);
  const cp = `cp${major}${minor}`;
  const tags: Tag[] = [];
  const add = (interpreter: string, abi: string, list: readonly string[]): void => {
    for (const platform of list) tags.push({ interpreter, abi, platform });
  };
  add(cp, cp, platforms);
  add(cp, "abi3", platforms);
  add(cp, "none", platforms);
  for (let m = minor - 1; m > 1; m--) add(`cp${major}${m}`, "abi3", platforms);
  const pyRange = [`py${major}${minor}`, `py${major}`];
  for (let m = minor - 1; m >= 0; m--) pyRange.push(`py${major}${m}`);
  for (const py of pyRange) add(py, "none", platforms);
  add(cp, "none", ["any"]);
  for (const py of pyRange) add(py, "none", ["any"]);
  return tags;
}

/**
 * True when any of the wheel's tags is supported by the target.
 *
 * @example
 * ```ts
 * const wheel = parseWheelFilename("numpy-2.1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
 * isCompatible(wheel.tags, targetEnvironment("cp312-manylinux_x86_64")); // true
 * ```
 */
export function isCompatible(wheelTags: readonly Tag[], target: TargetEnvironment): boolean {
  const supported = new Set(supportedTags(target).map(tagToString));
  return wheelTags.some((tag) => supported.has(tagToString(tag)));
}
