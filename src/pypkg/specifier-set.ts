import { applyPrereleasePolicy, coerceVersion, filterParsed, type VersionLike } from "./prerelease-filter.js";
import { pyStrip } from "./python-whitespace.js";
import { Specifier, type FilterOptions, type PrereleaseOptions } from "./specifier.js";
import type { Version } from "./version.js";

/**
 * Options of `SpecifierSet.contains`: `installed: true` accepts an installed
 * pre-release even when the policy would refuse it.
 *
 * @example
 * ```ts
 * const options: ContainsOptions = { installed: true };
 * ```
 */
export interface ContainsOptions extends PrereleaseOptions {
  installed?: boolean;
}

function identity<T>(item: T): VersionLike {
  return item as VersionLike;
}

/**
 * A comma-separated set of PEP 440 specifiers, all of which must hold.
 *
 * @example
 * ```ts
 * const set = parseSpecifierSet(">=1.0,!=1.3.*,<2");
 * set.contains("1.3.1"); // false
 * set.toString(); // "!=1.3.*,<2,>=1.0"
 * ```
 */
export class SpecifierSet {
  readonly specifiers: readonly Specifier[];
  readonly configuredPrereleases: boolean | null;
  readonly #hasArbitrary: boolean;

  /**
   * Parses a comma-separated list (empty text gives the set that admits
   * everything); throws `InvalidSpecifier`.
   *
   * @example
   * ```ts
   * new SpecifierSet(">=1, <2").specifiers.length; // 2
   * ```
   */
  constructor(text: string | readonly Specifier[] = "", prereleases: boolean | null = null) {
    if (typeof text === "string") {
      this.specifiers = text
        .split(",")
        .map(pyStrip)
        .filter((part) => part !== "")
        .map((part) => new Specifier(part));
      this.#hasArbitrary = text.includes("===");
    } else {
      this.specifiers = [...text];
      this.#hasArbitrary = text.some((s) => s.operator === "===");
    }
    this.configuredPrereleases = prereleases;
  }

  /**
   * The set's own pre-release stance: the explicit setting, else `true` when
   * any member names a pre-release, else `null` (no opinion).
   *
   * @example
   * ```ts
   * parseSpecifierSet(">=1.0b1").prereleases; // true
   * ```
   */
  get prereleases(): boolean | null {
    if (this.configuredPrereleases !== null) return this.configuredPrereleases;
    if (this.specifiers.length === 0) return null;
    return this.specifiers.some((s) => s.prereleases === true) ? true : null;
  }

  /**
   * True when the version satisfies every specifier. Pre-releases are
   * accepted unless `prereleases` is false here or on the set (a single
   * version has no alternative, which is PEP 440's exception).
   *
   * @example
   * ```ts
   * parseSpecifierSet(">=1.0").contains("2.0a1"); // true
   * parseSpecifierSet(">=1.0").contains("2.0a1", { prereleases: false }); // false
   * ```
   */
  contains(version: VersionLike, options: ContainsOptions = {}): boolean {
    const parsed = coerceVersion(version);
    let prereleases = options.prereleases ?? null;
    if (parsed !== null && options.installed === true && parsed.isPrerelease) prereleases = true;
    if (parsed !== null && !this.#hasArbitrary && parsed.localSegments === null && this.specifiers.length > 0) {
      if (parsed.isPrerelease && (prereleases === false || (prereleases === null && this.configuredPrereleases === false))) {
        return false;
      }
      return this.specifiers.every((s) => s.matches(parsed));
    }
    const item = parsed === null || (this.#hasArbitrary && typeof version === "string") ? version : parsed;
    return this.filter([item], { prereleases }).length > 0;
  }

  /**
   * Keeps the items that satisfy every specifier, in order, applying PEP 440's
   * pre-release rule unless a policy is given.
   *
   * @example
   * ```ts
   * parseSpecifierSet(">=1.2.3").filter(["1.2", "1.3", "1.5a1"]); // ["1.3"]
   * parseSpecifierSet("").filter(["1.5a1"]); // ["1.5a1"]
   * ```
   */
  filter<T = VersionLike>(items: Iterable<T>, options: FilterOptions<T> = {}): T[] {
    const key = options.key ?? identity;
    const policy = options.prereleases ?? this.prereleases;
    if (this.specifiers.length === 0) return applyPrereleasePolicy(items, key, policy);
    if (this.#hasArbitrary) {
      const hits = [...items].filter((item) =>
        this.specifiers.every((s) => s.contains(key(item), { prereleases: true })),
      );
      return applyPrereleasePolicy(hits, key, policy);
    }
    return filterParsed(items, key, (v: Version) => this.specifiers.every((s) => s.matches(v)), policy);
  }

  /** Number of specifiers in the set. */
  get size(): number {
    return this.specifiers.length;
  }

  /** Canonical text: members sorted by text, duplicates removed, joined by `,`. */
  toString(): string {
    return [...new Set(this.specifiers.map(String))].sort(byCodePoint).join(",");
  }
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Parses a comma-separated specifier set such as `">=1.0,<2"`; throws
 * `InvalidSpecifier` on bad input.
 *
 * @example
 * ```ts
 * parseSpecifierSet("~=3.10").contains("3.12.1"); // true
 * parseSpecifierSet("==3.10.*").contains("3.11"); // false
 * ```
 */
export function parseSpecifierSet(text: string, options: { prereleases?: boolean | null } = {}): SpecifierSet {
  return new SpecifierSet(text, options.prereleases ?? null);
}
