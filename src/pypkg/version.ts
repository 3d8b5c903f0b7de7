import { InvalidVersion } from "./errors.js";
import { PY_WHITESPACE } from "./python-whitespace.js";

/**
 * A non-negative integer of a version. Values above `Number.MAX_SAFE_INTEGER`
 * are kept exactly as `bigint`; JavaScript's `<`/`>` compare the two kinds
 * correctly with each other.
 *
 * @example
 * ```ts
 * const n: VersionInt = parseVersion("2024.1").release[0]!; // 2024
 * ```
 */
export type VersionInt = number | bigint;

/**
 * Pre-release label in its normalised spelling.
 *
 * @example
 * ```ts
 * const label: PreReleaseLabel = parseVersion("1.0beta2").pre![0]; // "b"
 * ```
 */
export type PreReleaseLabel = "a" | "b" | "rc";

/**
 * One segment of a local version label: lower-case text, or a number.
 *
 * @example
 * ```ts
 * const parts: LocalSegment[] = parseVersion("1.0+ubuntu.1").localSegments!; // ["ubuntu", 1]
 * ```
 */
export type LocalSegment = string | VersionInt;

const VERSION_RE = new RegExp(
  `^${PY_WHITESPACE}*v?` +
    "(?:([0-9]+)!)?" + // epoch
    "([0-9]+(?:\\.[0-9]+)*)" + // release
    "(?:[._-]?(alpha|a|beta|b|preview|pre|c|rc)[._-]?([0-9]+)?)?" + // pre
    "(?:-([0-9]+)|[._-]?(post|rev|r)[._-]?([0-9]+)?)?" + // post
    "(?:[._-]?(dev)[._-]?([0-9]+)?)?" + // dev
    "(?:\\+([a-z0-9]+(?:[._-][a-z0-9]+)*))?" + // local
    `${PY_WHITESPACE}*$`,
  "i",
);

const PRE_SPELLINGS: Readonly<Record<string, PreReleaseLabel>> = {
  a: "a",
  alpha: "a",
  b: "b",
  beta: "b",
  c: "rc",
  pre: "rc",
  preview: "rc",
  rc: "rc",
};

/**
 * Converts a string of ASCII digits to an exact integer.
 *
 * @example
 * ```ts
 * toVersionInt("007"); // 7
 * ```
 */
export function toVersionInt(digits: string): VersionInt {
  if (digits.length <= 15) return Number(digits);
  const big = BigInt(digits);
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/**
 * The parts of a version, as produced by the parser or given to `Version.fromParts`.
 *
 * @example
 * ```ts
 * const parts: VersionParts = { epoch: 0, release: [1, 0], pre: null, post: 1, dev: null, localSegments: null };
 * Version.fromParts(parts).toString(); // "1.0.post1"
 * ```
 */
export interface VersionParts {
  epoch: VersionInt;
  release: readonly VersionInt[];
  pre: readonly [PreReleaseLabel, VersionInt] | null;
  post: VersionInt | null;
  dev: VersionInt | null;
  localSegments: readonly LocalSegment[] | null;
}

/**
 * A parsed PEP 440 version. Immutable; compare with `compare` or
 * `compareVersions`.
 *
 * @example
 * ```ts
 * const v = parseVersion("1.0.POST2");
 * v.toString(); // "1.0.post2"
 * v.isPostrelease; // true
 * ```
 */
export class Version implements VersionParts {
  readonly epoch: VersionInt;
  readonly release: readonly VersionInt[];
  readonly pre: readonly [PreReleaseLabel, VersionInt] | null;
  readonly post: VersionInt | null;
  readonly dev: VersionInt | null;
  readonly localSegments: readonly LocalSegment[] | null;
  #text: string | undefined;

  /**
   * Builds a version from already-validated parts.
   *
   * @example
   * ```ts
   * Version.fromParts({ epoch: 0, release: [1, 2], pre: ["rc", 1], post: null, dev: null, localSegments: null }).toString(); // "1.2rc1"
   * ```
   */
  static fromParts(parts: VersionParts): Version {
    return new Version(parts);
  }

  private constructor(parts: VersionParts) {
    this.epoch = parts.epoch;
    this.release = Object.freeze([...parts.release]);
    this.pre = parts.pre;
    this.post = parts.post;
    this.dev = parts.dev;
    this.localSegments = parts.localSegments === null ? null : Object.freeze([...parts.localSegments]);
  }

  /**
   * Parses a PEP 440 version (any accepted spelling).
   *
   * @example
   * ```ts
   * Version.parse("v1.0-1").toString(); // "1.0.post1"
   * ```
   */
  static parse(text: string): Version {
    const m = VERSION_RE.exec(text);
    if (m === null) throw new InvalidVersion(`Invalid version: '${text}'`, text);
    const [, epoch, release, preL, preN, postN1, postL, postN2, devL, devN, local] = m;
    const pre: [PreReleaseLabel, VersionInt] | null =
      preL === undefined ? null : [PRE_SPELLINGS[preL.toLowerCase()] ?? "rc", toVersionInt(preN ?? "0")];
    let post: VersionInt | null = null;
    if (postN1 !== undefined) post = toVersionInt(postN1);
    else if (postL !== undefined) post = toVersionInt(postN2 ?? "0");
    return new Version({
      epoch: epoch === undefined ? 0 : toVersionInt(epoch),
      release: (release ?? "0").split(".").map(toVersionInt),
      pre,
      post,
      dev: devL === undefined ? null : toVersionInt(devN ?? "0"),
      localSegments:
        local === undefined
          ? null
          : local
              .toLowerCase()
              .split(/[._-]/)
              .map((part) => (/^[0-9]+$/.test(part) ? toVersionInt(part) : part)),
    });
  }

  /** The local label in normalised form (`"ubuntu.1"`), or `null`. */
  get local(): string | null {
    return this.localSegments === null ? null : this.localSegments.join(".");
  }

  /** True for any pre-release or development release. */
  get isPrerelease(): boolean {
    return this.pre !== null || this.dev !== null;
  }

  /** True when the version has a post-release segment. */
  get isPostrelease(): boolean {
    return this.post !== null;
  }

  /** True when the version has a development segment. */
  get isDevrelease(): boolean {
    return this.dev !== null;
  }

  /** First release component. */
  get major(): VersionInt {
    return this.release[0] ?? 0;
  }

  /** Second release component (0 when absent). */
  get minor(): VersionInt {
    return this.release[1] ?? 0;
  }

  /** Third release component (0 when absent). */
  get micro(): VersionInt {
    return this.release[2] ?? 0;
  }

  /** The normalised version without its local label. */
  get public(): string {
    const text = this.toString();
    const plus = text.indexOf("+");
    return plus === -1 ? text : text.slice(0, plus);
  }

  /** Epoch and release only (`"1!2.0"` for `"1!2.0rc1.post3+x"`). */
  get baseVersion(): string {
    const release = this.release.join(".");
    return this.epoch === 0 ? release : `${this.epoch}!${release}`;
  }

  /**
   * Compares with another version: -1, 0 or 1.
   *
   * @example
   * ```ts
   * parseVersion("1.0a1").compare(parseVersion("1.0")); // -1
   * ```
   */
  compare(other: Version): -1 | 0 | 1 {
    return compareParsed(this, other);
  }

  /** The normalised PEP 440 spelling. */
  toString(): string {
    if (this.#text !== undefined) return this.#text;
    let text = this.epoch === 0 ? "" : `${this.epoch}!`;
    text += this.release.join(".");
    if (this.pre !== null) text += `${this.pre[0]}${this.pre[1]}`;
    if (this.post !== null) text += `.post${this.post}`;
    if (this.dev !== null) text += `.dev${this.dev}`;
    if (this.localSegments !== null) text += `+${this.localSegments.join(".")}`;
    this.#text = text;
    return text;
  }
}

function cmp(a: VersionInt, b: VersionInt): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

const PRE_RANK: Readonly<Record<PreReleaseLabel, number>> = { a: 0, b: 1, rc: 2 };

function preRank(v: VersionParts): number {
  if (v.pre !== null) return PRE_RANK[v.pre[0]];
  return v.post === null && v.dev !== null ? -1 : 3;
}

/**
 * Compares two release tuples as PEP 440 does (trailing zeros do not count).
 *
 * @example
 * ```ts
 * compareReleases([1, 0], [1]); // 0
 * ```
 */
export function compareReleases(a: readonly VersionInt[], b: readonly VersionInt[]): -1 | 0 | 1 {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = cmp(a[i] ?? 0, b[i] ?? 0);
    if (c !== 0) return c;
  }
  return 0;
}

function compareLocal(a: readonly LocalSegment[] | null, b: readonly LocalSegment[] | null): -1 | 0 | 1 {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as LocalSegment;
    const y = b[i] as LocalSegment;
    const xs = typeof x === "string";
    const ys = typeof y === "string";
    if (xs !== ys) return xs ? -1 : 1;
    const c = x < y ? -1 : x > y ? 1 : 0;
    if (c !== 0) return c;
  }
  return cmp(a.length, b.length);
}

/**
 * Orders two parsed versions by PEP 440 rules (epoch, release, pre, post,
 * dev, local).
 *
 * @example
 * ```ts
 * compareParsed(parseVersion("1.0.dev1"), parseVersion("1.0a1")); // -1
 * ```
 */
export function compareParsed(a: VersionParts, b: VersionParts): -1 | 0 | 1 {
  return (
    cmp(a.epoch, b.epoch) ||
    compareReleases(a.release, b.release) ||
    comparePublicSuffix(a, b) ||
    compareLocal(a.localSegments, b.localSegments)
  );
}

function comparePublicSuffix(a: VersionParts, b: VersionParts): -1 | 0 | 1 {
  return (
    cmp(preRank(a), preRank(b)) ||
    cmp(a.pre?.[1] ?? 0, b.pre?.[1] ?? 0) ||
    cmp(a.post === null ? 0 : 1, b.post === null ? 0 : 1) ||
    cmp(a.post ?? 0, b.post ?? 0) ||
    cmp(a.dev === null ? 1 : 0, b.dev === null ? 1 : 0) ||
    cmp(a.dev ?? 0, b.dev ?? 0)
  );
}
