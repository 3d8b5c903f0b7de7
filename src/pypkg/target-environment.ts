import { UnknownTarget } from "./errors.js";
import type { MarkerEnvironment } from "./evaluate-marker.js";

/**
 * How a target's platform tags are produced: glibc-based Linux (PEP 600
 * `manylinux_2_N` plus legacy aliases), musl-based Linux (PEP 656), or a fixed
 * list (z/OS).
 *
 * @example
 * ```ts
 * const p: TargetPlatform = { kind: "manylinux", arch: "x86_64", glibc: [2, 28] };
 * ```
 */
export type TargetPlatform =
  | { kind: "manylinux"; arch: string; glibc: readonly [number, number] }
  | { kind: "musllinux"; arch: string; musl: readonly [number, number] }
  | { kind: "fixed"; tags: readonly string[] };

/**
 * A CPython installation we publish for: its marker environment and what its
 * installer accepts.
 *
 * @example
 * ```ts
 * const t: TargetEnvironment = targetEnvironment("cp313-manylinux_aarch64");
 * t.markers.platform_machine; // "aarch64"
 * ```
 */
export interface TargetEnvironment {
  name: string;
  pythonVersion: readonly [number, number];
  markers: MarkerEnvironment;
  platform: TargetPlatform;
}

/**
 * z/OS facts used for `*-zos_s390x` targets. CPython's configure maps the
 * `OS/390` system to `sys.platform == "zos"`; `platform.system()` reports
 * `"OS/390"`. The machine and wheel platform tag are IBM's convention for its
 * z/OS Python builds and are an assumption here (see src/pypkg/README.md):
 * `platform_machine` `"s390x"`, wheel platform tag `"zos_s390x"`.
 *
 * @example
 * ```ts
 * ZOS.platformTag; // "zos_s390x"
 * ```
 */
export const ZOS = { sysPlatform: "zos", platformSystem: "OS/390", machine: "s390x", platformTag: "zos_s390x" } as const;

/** Minor versions of CPython 3 we name targets for. */
const MINORS = [10, 11, 12, 13, 14] as const;
const LINUX_ARCHES = ["x86_64", "aarch64", "s390x"] as const;

/**
 * Every predefined target name (`cp310`...`cp314` x manylinux/musllinux on
 * x86_64/aarch64/s390x, plus `zos_s390x`).
 *
 * @example
 * ```ts
 * TARGET_NAMES.includes("cp312-zos_s390x"); // true
 * ```
 */
export const TARGET_NAMES: readonly string[] = MINORS.flatMap((minor) => [
  ...LINUX_ARCHES.flatMap((arch) => [`cp3${minor}-manylinux_${arch}`, `cp3${minor}-musllinux_${arch}`]),
  `cp3${minor}-zos_s390x`,
]);

/**
 * Options that refine a predefined target.
 *
 * @example
 * ```ts
 * targetEnvironment("cp312-manylinux_x86_64", { pythonFullVersion: "3.12.7", glibc: [2, 34] });
 * ```
 */
export interface TargetOptions {
  /** `python_full_version` (default `3.N.0`). */
  pythonFullVersion?: string;
  /** Highest glibc for manylinux targets (default 2.28). */
  glibc?: readonly [number, number];
  /** Highest musl for musllinux targets (default 1.2). */
  musl?: readonly [number, number];
}

/**
 * Builds the typed target environment for a name such as
 * `"cp312-manylinux_x86_64"`, `"cp311-musllinux_aarch64"` or
 * `"cp314-zos_s390x"`. Throws `UnknownTarget` for other names.
 *
 * @example
 * ```ts
 * const t = targetEnvironment("cp312-manylinux_x86_64");
 * t.markers.python_version; // "3.12"
 * t.markers.sys_platform; // "linux"
 * targetEnvironment("cp314-zos_s390x").markers.sys_platform; // "zos"
 * ```
 */
export function targetEnvironment(name: string, options: TargetOptions = {}): TargetEnvironment {
  const m = /^cp3(1[0-4])-(manylinux|musllinux|zos)_(x86_64|aarch64|s390x)$/.exec(name);
  if (m === null || (m[2] === "zos" && m[3] !== "s390x")) {
    throw new UnknownTarget(`unknown target '${name}' (known: ${TARGET_NAMES.join(", ")})`, name);
  }
  const minor = Number(m[1]);
  const kind = m[2] as "manylinux" | "musllinux" | "zos";
  const arch = m[3] as string;
  const full = options.pythonFullVersion ?? `3.${minor}.0`;
  const zos = kind === "zos";
  const markers: MarkerEnvironment = {
    implementation_name: "cpython",
    implementation_version: full,
    os_name: "posix",
    platform_machine: zos ? ZOS.machine : arch,
    platform_release: "",
    platform_system: zos ? ZOS.platformSystem : "Linux",
    platform_version: "",
    python_full_version: full,
    platform_python_implementation: "CPython",
    python_version: `3.${minor}`,
    sys_platform: zos ? ZOS.sysPlatform : "linux",
  };
  const platform: TargetPlatform =
    kind === "manylinux"
      ? { kind, arch, glibc: options.glibc ?? [2, 28] }
      : kind === "musllinux"
        ? { kind, arch, musl: options.musl ?? [1, 2] }
        : { kind: "fixed", tags: [ZOS.platformTag] };
  return { name, pythonVersion: [3, minor], markers, platform };
}
