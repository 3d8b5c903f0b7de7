import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseVersion } from "./parse-version.js";
import type { VersionLike } from "./prerelease-filter.js";
import { parseSpecifierSet, SpecifierSet } from "./specifier-set.js";
import { isVersionObject, loadVectors, rows, versionText, type Json } from "../../test/fixtures/pypkg/load-vectors.js";

const vectors = loadVectors("specifiers");
const table = (name: string): Json[][] => rows(vectors, `TestSpecifierSet.${name}`) as Json[][];
type Pre = boolean | null;

function item(value: Json): VersionLike {
  return isVersionObject(value) ? parseVersion(versionText(value)) : (value as string);
}

describe("SpecifierSet (packaging tests/test_specifiers.py TestSpecifierSet)", () => {
  it("test_empty_specifier: every VERSIONS entry is in SpecifierSet('', prereleases=True)", () => {
    const set = new SpecifierSet("", true);
    for (const v of rows(vectors, "TestSpecifierSet.test_empty_specifier") as string[]) {
      assert.ok(set.contains(v), v);
      assert.ok(set.contains(parseVersion(v)), v);
    }
  });

  it("test_empty_specifier_arbitrary_string and ordering", () => {
    for (const [pre, versions, expected] of table("test_empty_specifier_arbitrary_string") as [Pre, string[], string[]][]) {
      const set = parseSpecifierSet("", { prereleases: pre });
      assert.ok(set.contains("foobar"));
      assert.deepEqual(set.filter(versions), expected);
    }
    for (const [versions, expected] of table("test_empty_specifier_ordering_with_arbitrary") as [string[], string[]][]) {
      assert.deepEqual(parseSpecifierSet("").filter(versions), expected);
    }
  });

  it("test_specifier_prereleases_explicit", () => {
    for (const [initial, set, version, before, after, spec] of table("test_specifier_prereleases_explicit") as [
      Pre,
      Pre,
      string,
      boolean,
      boolean,
      string,
    ][]) {
      assert.equal(new SpecifierSet(spec, initial).contains(version), before, `${version} in ${spec} (${initial})`);
      assert.equal(new SpecifierSet(spec, set).contains(version), after, `${version} in ${spec} (${set})`);
    }
  });

  it("test_specifier_contains_installed_prereleases (41 cases)", () => {
    for (const [spec, version, specPre, containsPre, installed, expected] of table(
      "test_specifier_contains_installed_prereleases",
    ) as [string, string, Pre, Pre, Pre, boolean][]) {
      const got = new SpecifierSet(spec, specPre).contains(version, {
        prereleases: containsPre,
        installed: installed ?? false,
      });
      assert.equal(got, expected, `${version} in ${spec} ${specPre} ${containsPre} ${installed}`);
    }
  });

  it("test_specifier_filter (70 cases) and with key", () => {
    for (const [spec, specPre, pre, input, expected] of table("test_specifier_filter") as [
      string,
      Pre,
      Pre,
      string[],
      string[],
    ][]) {
      assert.deepEqual(new SpecifierSet(spec, specPre).filter(input, { prereleases: pre }), expected, `${spec} ${specPre} ${pre}`);
    }
    const items = [{ version: "1.0" }, { version: "2.1a1" }];
    for (const [pre, indexes] of table("test_specifierset_filter_with_key") as [Pre, number[]][]) {
      const got = parseSpecifierSet(">=2").filter(items, { prereleases: pre, key: (x) => x.version });
      assert.deepEqual(got, indexes.map((i) => items[i]));
    }
  });

  it("exclusionary bridges: filter (32) and contains (101)", () => {
    for (const [spec, pre, input, expected] of table("test_filter_exclusionary_bridges") as [string, Pre, string[], string[]][]) {
      assert.deepEqual(parseSpecifierSet(spec).filter(input, { prereleases: pre }), expected, `${spec} ${pre}`);
    }
    for (const [spec, pre, version, expected] of table("test_contains_exclusionary_bridges") as [string, Pre, string, boolean][]) {
      assert.equal(parseSpecifierSet(spec).contains(version, { prereleases: pre }), expected, `${version} in ${spec} ${pre}`);
    }
  });

  it("post-release boundary intersection equals the conjunction of members", () => {
    for (const [spec, version, expected] of table("test_contains_post_release_boundary_intersection") as [string, string, boolean][]) {
      const set = parseSpecifierSet(spec);
      assert.equal(set.contains(version, { prereleases: true }), expected, `${version} in ${spec}`);
      assert.equal(set.specifiers.every((s) => s.contains(version, { prereleases: true })), expected);
    }
  });

  it("arbitrary equality (contains, normalisation, intersection)", () => {
    for (const [version, spec, expected] of table("test_contains_arbitrary_equality_contains") as [string, string, boolean][]) {
      assert.equal(parseSpecifierSet(spec).contains(version), expected, `${version} in ${spec}`);
    }
    for (const [spec, version, expected] of table("test_contains_arbitrary_equality_normalization") as [string, Json, boolean][]) {
      assert.equal(new SpecifierSet(spec, true).contains(item(version)), expected, `${JSON.stringify(version)} in ${spec}`);
    }
    for (const [a, b, input] of table("test_arbitrary_equality_is_intersection_preserving") as [string, string, string[]][]) {
      const one = new Set(parseSpecifierSet(a).filter(input));
      const two = new Set(parseSpecifierSet(b).filter(input));
      const both = new Set(parseSpecifierSet(`${a},${b}`).filter(input));
      assert.deepEqual(both, new Set([...one].filter((x) => two.has(x))), `${a},${b}`);
    }
  });

  it("test_comparison_ignores_local", () => {
    for (const [version, spec, expected] of table("test_comparison_ignores_local") as [string, string, boolean][]) {
      assert.equal(parseSpecifierSet(spec).contains(parseVersion(version)), expected, `${version} in ${spec}`);
    }
  });

  it("str, length and iteration", () => {
    for (const [spec, expected] of table("test_specifiers_str_and_repr") as [string, string][]) {
      assert.equal(parseSpecifierSet(spec).toString(), expected, spec);
    }
    for (const [spec, length] of rows(vectors, "TestSpecifier.test_length") as [string, number][]) {
      assert.equal(parseSpecifierSet(spec).size, length);
    }
    for (const [spec, items] of rows(vectors, "TestSpecifier.test_iteration") as [string, string[]][]) {
      assert.deepEqual(new Set(parseSpecifierSet(spec).specifiers.map(String)), new Set(items));
    }
  });
});
