import { InvalidSpecifier } from "./errors.js";
import { applyPrereleasePolicy, coerceVersion, filterParsed, type VersionLike } from "./prerelease-filter.js";
import { pyStrip } from "./python-whitespace.js";
import { isSpecifierText, type SpecifierOperator } from "./specifier-grammar.js";
import { matchesSpecifier } from "./specifier-match.js";
import { tryParseVersion } from "./parse-version.js";
import type { Version } from "./version.js";

/**
 * Options of `contains` and `filter`: `prereleases` forces pre-releases in
 * (`true`) or out (`false`); left out, PEP 440's default applies.
 *
 * @example
 * ```ts
 * const options: PrereleaseOptions = { prereleases: true };
 * ```
 */
export interface PrereleaseOptions {
  prereleases?: boolean | null;
}

/**
 * Options of `filter`, with an optional `key` to read the version of each item.
 *
 * @example
 * ```ts
 * const options: FilterOptions<{ v: string }> = { key: (item) => item.v };
 * ```
 */
export interface FilterOptions<T> extends PrereleaseOptions {
  key?: (item: T) => VersionLike;
}

function identity<T>(item: T): VersionLike {
  return item as VersionLike;
}

/**
 * One PEP 440 version specifier such as `>=1.0` or `==2.*`.
 *
 * @example
 * ```ts
 * const spec = new Specifier("~=1.4.2");
 * spec.contains("1.4.9"); // true
 * spec.contains("1.5"); // false
 * ```
 */
export class Specifier {
  readonly operator: SpecifierOperator;
  /** The version text as written (whitespace stripped, not normalised). */
  readonly version: string;
  /** The explicit pre-release setting, or `null` to autodetect. */
  readonly configuredPrereleases: boolean | null;
  readonly #spec: Version | null;

  /**
   * Parses one specifier; throws `InvalidSpecifier` on bad input.
   *
   * @example
   * ```ts
   * new Specifier(">= 1.0").toString(); // ">=1.0"
   * ```
   */
  constructor(text: string, prereleases: boolean | null = null) {
    if (!isSpecifierText(text)) throw new InvalidSpecifier(`Invalid specifier: '${text}'`, text);
    const spec = pyStrip(text);
    const width = spec.startsWith("===") ? 3 : ["~=", "==", "!=", "<=", ">="].includes(spec.slice(0, 2)) ? 2 : 1;
    this.operator = spec.slice(0, width) as SpecifierOperator;
    this.version = pyStrip(spec.slice(width));
    this.configuredPrereleases = prereleases;
    this.#spec = this.operator === "===" ? null : tryParseVersion(this.version.replace(/\.\*$/, ""));
  }

  /**
   * Whether this specifier admits pre-releases by itself: the explicit setting,
   * else true when it names a pre-release (never for `!=` or `==X.*`), else
   * false (`null` for `===` with a non-version).
   *
   * @example
   * ```ts
   * new Specifier(">=1.0rc1").prereleases; // true
   * ```
   */
  get prereleases(): boolean | null {
    if (this.configuredPrereleases !== null) return this.configuredPrereleases;
    if (this.operator === "!=") return false;
    if (this.operator === "==" && this.version.endsWith(".*")) return false;
    const parsed = this.#spec ?? tryParseVersion(this.version);
    return parsed === null ? null : parsed.isPrerelease;
  }

  /** The policy used when a call does not give one: explicit, else `true` if autodetected, else PEP 440's default. */
  #defaultPolicy(): boolean | null {
    if (this.configuredPrereleases !== null) return this.configuredPrereleases;
    return this.prereleases === true ? true : null;
  }

  /**
   * Tests a parsed version against the specifier, ignoring pre-release policy.
   *
   * @example
   * ```ts
   * new Specifier("<2").matches(parseVersion("2.0rc1")); // false
   * ```
   */
  matches(version: Version, text: string = version.toString()): boolean {
    if (this.#spec === null) return text.toLowerCase() === this.version.toLowerCase();
    return matchesSpecifier(this.operator as Exclude<SpecifierOperator, "===">, this.version, this.#spec, version);
  }

  /**
   * True when the version satisfies the specifier. A pre-release is accepted
   * unless `prereleases` is false (explicitly here or on the specifier).
   * Strings that are not versions never match (except through `===`).
   *
   * @example
   * ```ts
   * new Specifier(">=1.0").contains("1.1a1"); // true
   * new Specifier(">=1.0").contains("1.1a1", { prereleases: false }); // false
   * ```
   */
  contains(version: VersionLike, options: PrereleaseOptions = {}): boolean {
    if (this.operator === "===") return this.filter([version], options).length > 0;
    const parsed = coerceVersion(version);
    if (parsed === null) return false;
    const policy = options.prereleases ?? this.#defaultPolicy();
    if (policy === false && parsed.isPrerelease) return false;
    return this.matches(parsed);
  }

  /**
   * Keeps the items that satisfy the specifier, in order. Without an explicit
   * policy, pre-releases are kept only when no final release matches.
   *
   * @example
   * ```ts
   * new Specifier(">=1.2").filter(["1.1", "1.3", "1.5a1"]); // ["1.3"]
   * ```
   */
  filter<T = VersionLike>(items: Iterable<T>, options: FilterOptions<T> = {}): T[] {
    const key = options.key ?? identity;
    const policy = options.prereleases ?? this.#defaultPolicy();
    if (this.operator === "===") {
      const wanted = this.version.toLowerCase();
      const hits = [...items].filter((item) => String(key(item)).toLowerCase() === wanted);
      return applyPrereleasePolicy(hits, key, policy);
    }
    return filterParsed(items, key, (v) => this.matches(v), policy);
  }

  /** The specifier as written, without whitespace (`">=1.0"`). */
  toString(): string {
    return `${this.operator}${this.version}`;
  }
}
