import type { SpecifierOperator } from "./specifier-grammar.js";
import { compareParsed, compareReleases, type Version, type VersionInt, type VersionParts } from "./version.js";

function bump(n: VersionInt): VersionInt {
  return typeof n === "bigint" ? n + 1n : n + 1 > Number.MAX_SAFE_INTEGER ? BigInt(n) + 1n : n + 1;
}

function parts(v: VersionParts, change: Partial<VersionParts>): VersionParts {
  return { epoch: v.epoch, release: v.release, pre: v.pre, post: v.post, dev: v.dev, localSegments: null, ...change };
}

/** Compares ignoring the local label of `a` (and of `b`). */
function comparePublic(a: VersionParts, b: VersionParts): -1 | 0 | 1 {
  return compareParsed(parts(a, {}), parts(b, {}));
}

function samePreFamily(v: VersionParts, spec: VersionParts): boolean {
  return (
    v.epoch === spec.epoch &&
    compareReleases(v.release, spec.release) === 0 &&
    (v.pre === null ? spec.pre === null : spec.pre !== null && v.pre[0] === spec.pre[0] && v.pre[1] === spec.pre[1])
  );
}

/** `[base.dev0, next-prefix.dev0)` for a release prefix. */
function prefixWindow(epoch: VersionInt, release: readonly VersionInt[]): [VersionParts, VersionParts] {
  const last = release[release.length - 1] ?? 0;
  const lower: VersionParts = { epoch, release, pre: null, post: null, dev: 0, localSegments: null };
  const upper: VersionParts = {
    epoch,
    release: [...release.slice(0, -1), bump(last)],
    pre: null,
    post: null,
    dev: 0,
    localSegments: null,
  };
  return [lower, upper];
}

function inWindow(v: VersionParts, [lower, upper]: [VersionParts, VersionParts]): boolean {
  return compareParsed(v, lower) >= 0 && compareParsed(v, upper) < 0;
}

/**
 * Decides whether a parsed version satisfies one specifier, following
 * PEP 440 (and packaging 26): `>V` excludes V's own post-releases and local
 * versions, `<V` excludes V's pre-releases, `==`/`!=` ignore the candidate's
 * local label unless the specifier has one, `.*` is a prefix match, and `~=`
 * is `>=V` plus a prefix match. Pre-release policy is applied by the caller;
 * `===` is handled by the caller too (it compares strings).
 *
 * @example
 * ```ts
 * matchesSpecifier(">", "1.0", parseVersion("1.0"), parseVersion("1.0.post1")); // false
 * matchesSpecifier("==", "1.*", parseVersion("1"), parseVersion("1.9")); // true
 * ```
 */
export function matchesSpecifier(
  operator: Exclude<SpecifierOperator, "===">,
  versionText: string,
  spec: Version,
  v: VersionParts,
): boolean {
  if (versionText.endsWith(".*")) {
    const hit = inWindow(v, prefixWindow(spec.epoch, spec.release));
    return operator === "==" ? hit : !hit;
  }
  switch (operator) {
    case ">=":
      return compareParsed(v, spec) >= 0;
    case "<=":
      return comparePublic(v, spec) <= 0;
    case "==":
    case "!=": {
      const equal = versionText.includes("+") ? compareParsed(v, spec) === 0 : comparePublic(v, spec) === 0;
      return operator === "==" ? equal : !equal;
    }
    case ">":
      if (spec.dev !== null) return compareParsed(v, parts(spec, { dev: bump(spec.dev) })) >= 0;
      if (spec.post !== null) return compareParsed(v, parts(spec, { post: bump(spec.post), dev: 0 })) >= 0;
      return compareParsed(v, spec) > 0 && !samePreFamily(v, spec);
    case "<":
      return compareParsed(v, spec.isPrerelease ? spec : parts(spec, { dev: 0 })) < 0;
    case "~=": {
      const prefix = spec.release.slice(0, -1);
      return compareParsed(v, spec) >= 0 && compareParsed(v, prefixWindow(spec.epoch, prefix)[1]) < 0;
    }
  }
}
