import { InvalidSpecifier, UndefinedComparison, UndefinedEnvironmentName } from "./errors.js";
import { parseMarker, type Marker, type MarkerComparison, type MarkerExpression } from "./marker.js";
import { normalizeName } from "./name.js";
import { Specifier } from "./specifier.js";

/**
 * The PEP 508 marker environment: every variable a marker may name. Values
 * are strings, except the PEP 751 set-valued `extras` and `dependency_groups`.
 *
 * @example
 * ```ts
 * const env: MarkerEnvironment = { ...targetEnvironment("cp312-manylinux_x86_64").markers, extra: "socks" };
 * ```
 */
export interface MarkerEnvironment {
  implementation_name: string;
  implementation_version: string;
  os_name: string;
  platform_machine: string;
  platform_release: string;
  platform_system: string;
  platform_version: string;
  python_full_version: string;
  platform_python_implementation: string;
  python_version: string;
  sys_platform: string;
  extra?: string;
  extras?: ReadonlySet<string>;
  dependency_groups?: ReadonlySet<string>;
}

/**
 * Where a marker is evaluated; decides which extra-related variables exist.
 * `"metadata"` (default) defines `extra` as `""`; `"lock_file"` defines the
 * empty sets `extras` and `dependency_groups`; `"requirement"` defines none.
 *
 * @example
 * ```ts
 * const context: MarkerContext = "lock_file";
 * ```
 */
export type MarkerContext = "metadata" | "lock_file" | "requirement";

type EnvValue = string | ReadonlySet<string>;

const VERSION_VARIABLES = new Set(["implementation_version", "platform_release", "python_full_version", "python_version"]);
const SET_VARIABLES = new Set(["extras", "dependency_groups"]);

function lookup(env: Readonly<Record<string, EnvValue | undefined>>, key: string): EnvValue {
  const value = env[key];
  if (value === undefined) throw new UndefinedEnvironmentName(`'${key}' does not exist in evaluation environment.`, key);
  return value;
}

function compareStrings(lhs: string, op: string, rhs: EnvValue, key: string): boolean {
  if (VERSION_VARIABLES.has(key) && typeof rhs === "string") {
    let spec: Specifier | null = null;
    try {
      spec = new Specifier(`${op}${rhs}`);
    } catch (error) {
      if (!(error instanceof InvalidSpecifier)) throw error;
    }
    if (spec !== null) return spec.contains(lhs, { prereleases: true });
  }
  switch (op) {
    case "in":
      return typeof rhs === "string" ? rhs.includes(lhs) : rhs.has(lhs);
    case "not in":
      return typeof rhs === "string" ? !rhs.includes(lhs) : !rhs.has(lhs);
    case "==":
    case "<=":
    case ">=":
      return lhs === rhs;
    case "!=":
      return lhs !== rhs;
    case "<":
    case ">":
      return false;
    default:
      throw new UndefinedComparison(`Undefined '${op}' on '${lhs}' and '${String(rhs)}'.`, `${lhs} ${op} ${String(rhs)}`);
  }
}

function evaluateComparison(c: MarkerComparison, env: Readonly<Record<string, EnvValue | undefined>>): boolean {
  let key: string;
  let lhs: EnvValue;
  let rhs: EnvValue;
  if (c.left.kind === "variable") {
    key = c.left.name;
    lhs = lookup(env, key);
    rhs = c.right.kind === "variable" ? c.right.name : c.right.value;
  } else {
    lhs = c.left.value;
    key = c.right.kind === "variable" ? c.right.name : c.right.value;
    rhs = lookup(env, key);
  }
  if (typeof lhs !== "string") {
    throw new UndefinedComparison(`Set-valued marker '${key}' can only be used with the membership form`, key);
  }
  if (SET_VARIABLES.has(key)) {
    lhs = normalizeName(lhs);
    rhs = typeof rhs === "string" ? normalizeName(rhs) : new Set([...rhs].map((v) => normalizeName(v)));
  }
  return compareStrings(lhs, c.op, rhs, key);
}

function evaluateExpression(expression: MarkerExpression, env: Readonly<Record<string, EnvValue | undefined>>): boolean {
  // Disjunctive groups: `and` binds tighter than `or`. Every atom is evaluated, as packaging does,
  // so a missing variable is reported even where short-circuiting would skip it.
  const groups: boolean[][] = [[]];
  for (const item of expression) {
    if (item === "or") groups.push([]);
    else if (item === "and") continue;
    else {
      const value = Array.isArray(item) ? evaluateExpression(item, env) : evaluateComparison(item, env);
      (groups[groups.length - 1] as boolean[]).push(value);
    }
  }
  return groups.some((group) => group.every(Boolean));
}

/**
 * Evaluates a marker (parsed or text) against an environment, following
 * packaging 26: version variables (`python_version`, `python_full_version`,
 * `implementation_version`, `platform_release`) compare as PEP 440 versions
 * when both sides allow it; other comparisons are string (in)equality or
 * substring tests, `<`/`>` on non-versions are false and `~=`/`===` on
 * non-versions throw `UndefinedComparison`. `extra` values are normalised
 * (PEP 685). A variable missing from the environment throws
 * `UndefinedEnvironmentName`.
 *
 * @example
 * ```ts
 * const env = targetEnvironment("cp312-manylinux_x86_64").markers;
 * evaluateMarker('python_version >= "3.10" and sys_platform == "linux"', env); // true
 * evaluateMarker('extra == "Socks"', { ...env, extra: "socks" }); // true
 * ```
 */
export function evaluateMarker(
  marker: Marker | string,
  environment: Readonly<Partial<MarkerEnvironment>> | Readonly<Record<string, EnvValue>>,
  options: { context?: MarkerContext } = {},
): boolean {
  const parsed = typeof marker === "string" ? parseMarker(marker) : marker;
  const context = options.context ?? "metadata";
  const env: Record<string, EnvValue | undefined> = {};
  if (context === "lock_file") {
    env["extras"] = new Set<string>();
    env["dependency_groups"] = new Set<string>();
  } else if (context === "metadata") {
    env["extra"] = "";
  }
  Object.assign(env, environment);
  const extra = env["extra"];
  if (extra !== undefined) env["extra"] = typeof extra === "string" && extra !== "" ? normalizeName(extra) : "";
  const full = env["python_full_version"];
  if (typeof full === "string" && full.endsWith("+")) env["python_full_version"] = `${full}local`;
  return evaluateExpression(parsed.tree, env);
}
