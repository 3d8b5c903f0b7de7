// Seeded generators of versions, specifiers, requirement strings and marker environments for the
// differential test. Deterministic: the same seed gives the same cases.

/** A small seeded PRNG (mulberry32). */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}

const SEP = ["", "", "", ".", "-", "_"];

function num(r: Random): string {
  if (r.chance(0.02)) return String(10 ** 15 + r.int(1000)) + String(r.int(10));
  if (r.chance(0.05)) return "0" + String(r.int(10));
  return String(r.pick([0, 0, 1, 1, 2, 3, 5, 9, 10, 12, 20]));
}

/** A version string in one of the many spellings PEP 440 accepts (sometimes broken on purpose). */
export function randomVersionText(r: Random, options: { local?: boolean; invalid?: boolean } = {}): string {
  let text = r.chance(0.05) ? r.pick(["v", "V"]) : "";
  if (r.chance(0.08)) text += `${r.int(3)}!`;
  const parts = 1 + r.int(4);
  text += Array.from({ length: parts }, () => num(r)).join(".");
  if (r.chance(0.35)) {
    text += r.pick(SEP) + r.pick(["a", "alpha", "b", "beta", "c", "rc", "pre", "preview", "A", "RC"]);
    if (r.chance(0.8)) text += r.pick(SEP) + num(r);
  }
  if (r.chance(0.25)) {
    if (r.chance(0.3)) text += `-${num(r)}`;
    else text += r.pick(SEP) + r.pick(["post", "rev", "r", "POST"]) + (r.chance(0.8) ? r.pick(SEP) + num(r) : "");
  }
  if (r.chance(0.25)) text += r.pick(SEP) + r.pick(["dev", "DEV"]) + (r.chance(0.8) ? r.pick(SEP) + num(r) : "");
  if (options.local !== false && r.chance(0.15)) {
    text += "+" + Array.from({ length: 1 + r.int(3) }, () => r.pick(["ubuntu", "1", "abc", "zos", "07", "x1"])).join(r.pick([".", "-", "_"]));
  }
  if (r.chance(0.03)) text = ` ${text}\t`;
  if (options.invalid !== false && r.chance(0.06)) {
    const i = r.int(text.length + 1);
    text = text.slice(0, i) + r.pick([" ", "..", "+", "*", "x", "-", "!", "é"]) + text.slice(i);
  }
  return text;
}

/** A normalised-ish version without spaces, suitable inside a specifier or marker. */
export function randomPlainVersion(r: Random, local = false): string {
  return randomVersionText(r, { local, invalid: false }).trim();
}

const OPS = ["==", "!=", "<=", ">=", "<", ">", "~=", "==="];

/** One specifier, valid most of the time. */
export function randomSpecifier(r: Random): string {
  const op = r.pick(OPS);
  const ws = r.chance(0.2) ? " " : "";
  if ((op === "==" || op === "!=") && r.chance(0.3)) {
    return `${op}${ws}${Array.from({ length: 1 + r.int(3) }, () => num(r)).join(".")}.*`;
  }
  const local = (op === "==" || op === "!=" || op === "===") && r.chance(0.3);
  let version = randomPlainVersion(r, local);
  if (op === "~=" && !version.includes(".") && r.chance(0.8)) version += ".0";
  if (r.chance(0.03)) version = r.pick(["*", "1.0.*.1", "foo", ""]);
  return `${op}${ws}${version}`;
}

/** A comma-separated specifier set of 0–3 members. */
export function randomSpecifierSet(r: Random): string {
  return Array.from({ length: r.int(4) }, () => randomSpecifier(r)).join(r.pick([",", ", ", " ,"]));
}

const VERSION_VARS = ["python_version", "python_full_version", "implementation_version", "platform_release"];
const STRING_VARS: Record<string, string[]> = {
  os_name: ["posix", "nt", "java"],
  sys_platform: ["linux", "zos", "win32", "darwin"],
  platform_system: ["Linux", "OS/390", "Windows"],
  platform_machine: ["x86_64", "aarch64", "s390x"],
  implementation_name: ["cpython", "pypy"],
  platform_python_implementation: ["CPython", "PyPy"],
};

/** One marker comparison: version variables with every operator, string variables with (in)equality and `in`. */
function randomAtom(r: Random): string {
  const q = r.pick(["'", '"']);
  if (r.chance(0.45)) {
    const variable = r.pick(VERSION_VARS);
    const op = r.pick(["==", "!=", "<=", ">=", "<", ">", "~=", "==="]);
    let value = r.chance(0.5) ? `3.${r.int(16)}` : randomPlainVersion(r);
    if (op === "~=" && !value.includes(".")) value += ".0";
    if ((op === "==" || op === "!=") && r.chance(0.2)) value = `3.${r.int(16)}.*`;
    return r.chance(0.15) ? `${q}${value}${q} ${op === "~=" || op === "===" ? "==" : op} ${variable}` : `${variable} ${op} ${q}${value}${q}`;
  }
  if (r.chance(0.2)) {
    const extra = r.pick(["socks", "Socks", "s_o.c-ks", "test", "dev"]);
    return r.chance(0.5) ? `extra == ${q}${extra}${q}` : `${q}${extra}${q} == extra`;
  }
  const variable = r.pick(Object.keys(STRING_VARS));
  const values = STRING_VARS[variable] as string[];
  const op = r.pick(["==", "!=", "in", "not in"]);
  const value = op.includes("in") && r.chance(0.5) ? (r.pick(values).slice(0, 2) || "x") : r.pick(values);
  return `${variable} ${op} ${q}${value}${q}`;
}

/** A marker expression of 1–4 atoms with `and`/`or` and parentheses. */
export function randomMarker(r: Random, depth = 0): string {
  const atoms = 1 + r.int(depth > 1 ? 2 : 3);
  const parts: string[] = [];
  for (let i = 0; i < atoms; i++) {
    if (i > 0) parts.push(r.pick(["and", "or"]));
    parts.push(depth < 2 && r.chance(0.2) ? `(${randomMarker(r, depth + 1)})` : randomAtom(r));
  }
  return parts.join(r.pick([" ", " ", "  "]));
}

/** A full marker environment with some randomised values. */
export function randomEnvironment(r: Random): Record<string, string> {
  const minor = r.int(16);
  const full = r.chance(0.1) ? randomPlainVersion(r) : `3.${minor}.${r.int(12)}`;
  return {
    implementation_name: r.pick(STRING_VARS["implementation_name"] as string[]),
    implementation_version: r.chance(0.5) ? full : randomPlainVersion(r),
    os_name: r.pick(STRING_VARS["os_name"] as string[]),
    platform_machine: r.pick(STRING_VARS["platform_machine"] as string[]),
    platform_release: r.chance(0.5) ? `${r.int(7)}.${r.int(20)}.${r.int(9)}` : randomPlainVersion(r),
    platform_system: r.pick(STRING_VARS["platform_system"] as string[]),
    platform_version: "#1 SMP",
    python_full_version: full,
    platform_python_implementation: r.pick(STRING_VARS["platform_python_implementation"] as string[]),
    python_version: `3.${minor}`,
    sys_platform: r.pick(STRING_VARS["sys_platform"] as string[]),
    extra: r.pick(["", "socks", "S_O_C_K_S", "test", "s-o-c-ks"]),
  };
}

const NAMES = ["requests", "Foo_Bar", "zope.interface", "a", "A1", "x-y_z.w", "_bad", "pkg-", "ok9"];
const URLS = ["https://example.com/pkg.zip", "file:///tmp/x.whl", "git+https://g.example/r.git@v1.0", "./local"];

/** A PEP 508 requirement string, valid most of the time. */
export function randomRequirement(r: Random): string {
  const ws = (): string => r.pick(["", "", " ", "\t"]);
  let text = ws() + r.pick(NAMES) + ws();
  if (r.chance(0.3)) {
    const extras = Array.from({ length: r.int(3) }, () => r.pick(["socks", "Security", "a_b", "x.y", "tests"]));
    text += `[${ws()}${extras.join(`${ws()},${ws()}`)}${ws()}]${ws()}`;
  }
  if (r.chance(0.15)) {
    text += `@${r.chance(0.9) ? " " : ""}${r.pick(URLS)}`;
    if (r.chance(0.4)) text += `${r.chance(0.9) ? " " : ""};${ws()}${randomMarker(r)}`;
    return text + ws();
  }
  const spec = randomSpecifierSet(r);
  if (spec !== "") text += r.chance(0.2) ? `(${ws()}${spec}${ws()})` : spec;
  if (r.chance(0.35)) text += `${ws()};${ws()}${randomMarker(r)}`;
  if (r.chance(0.03)) text += r.pick(["#", " extra", "\n", ";"]);
  return text + ws();
}
