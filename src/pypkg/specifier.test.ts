import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidSpecifier } from "./errors.js";
import { parseVersion } from "./parse-version.js";
import type { VersionLike } from "./prerelease-filter.js";
import { Specifier } from "./specifier.js";
import { isVersionObject, loadVectors, rows, versionText, type Json } from "../../test/fixtures/pypkg/load-vectors.js";

const vectors = loadVectors("specifiers");
const table = (name: string, index = 0): Json[][] => rows(vectors, `TestSpecifier.${name}`, index) as Json[][];

/** A table cell that is a version string, or a parsed Version in packaging's table. */
function item(value: Json): VersionLike {
  return isVersionObject(value) ? parseVersion(versionText(value)) : (value as string);
}

function show(value: VersionLike): string {
  return typeof value === "string" ? value : `Version(${value.toString()})`;
}

describe("Specifier (packaging tests/test_specifiers.py TestSpecifier)", () => {
  it("test_specifiers: contains with prereleases=True (188 cases)", () => {
    const cases = table("test_specifiers");
    assert.equal(cases.length, 188);
    for (const [version, spec, expected] of cases as [string, string, boolean][]) {
      const s = new Specifier(spec, true);
      assert.equal(s.contains(version), expected, `${version} in ${spec}`);
      assert.equal(s.contains(parseVersion(version)), expected, `Version(${version}) in ${spec}`);
    }
  });

  it("test_specifiers_invalid throws InvalidSpecifier with the text", () => {
    for (const spec of rows(vectors, "TestSpecifier.test_specifiers_invalid") as string[]) {
      assert.throws(() => new Specifier(spec), (e: unknown) => e instanceof InvalidSpecifier && e.text === spec, spec);
    }
  });

  it("test_specifiers_valid and test_specifiers_normalized parse", () => {
    for (const spec of rows(vectors, "TestSpecifier.test_specifiers_valid") as string[]) assert.ok(new Specifier(spec));
    for (const version of rows(vectors, "TestSpecifier.test_specifiers_normalized") as string[]) {
      const ops = version.includes("+") ? ["==", "!="] : ["~=", "==", "!=", "<=", ">=", "<", ">"];
      for (const op of ops) assert.ok(new Specifier(op + version), op + version);
    }
  });

  it("test_invalid_version: non-versions never match (except ===)", () => {
    for (const [spec, version, expected] of table("test_invalid_version") as [string, string, boolean][]) {
      assert.equal(new Specifier(spec, true).contains(version), expected, `${version} in ${spec}`);
    }
  });

  it("test_specifier_prereleases_set", () => {
    for (const [spec, initial, set, version, before, after] of table("test_specifier_prereleases_set") as [
      string,
      boolean | null,
      boolean | null,
      string,
      boolean,
      boolean,
    ][]) {
      assert.equal(new Specifier(spec, initial).contains(version), before, `${version} in ${spec} (${initial})`);
      assert.equal(new Specifier(spec, set).contains(version), after, `${version} in ${spec} (${set})`);
    }
  });

  it("test_arbitrary_equality and its normalisation table", () => {
    for (const [version, spec, expected] of table("test_arbitrary_equality") as [string, string, boolean][]) {
      assert.equal(new Specifier(spec).contains(version), expected, `${version} in ${spec}`);
    }
    for (const [spec, version, expected] of table("test_arbitrary_equality_normalization") as [string, Json, boolean][]) {
      const v = item(version);
      assert.equal(new Specifier(spec, true).contains(v), expected, `${show(v)} in ${spec}`);
    }
  });

  it("test_specifiers_prereleases (58 cases)", () => {
    for (const [spec, version, specPre, containsPre, expected] of table("test_specifiers_prereleases") as [
      string,
      string,
      boolean | null,
      boolean | null,
      boolean,
    ][]) {
      const got = new Specifier(spec, specPre).contains(version, { prereleases: containsPre });
      assert.equal(got, expected, `${version} in ${spec} spec_pre=${specPre} contains_pre=${containsPre}`);
    }
  });

  it("test_specifier_filter (40 cases) and arbitrary-equality filter", () => {
    for (const [spec, specPre, pre, input, expected] of table("test_specifier_filter") as [
      string,
      boolean | null,
      boolean | null,
      string[],
      string[],
    ][]) {
      const got = new Specifier(spec, specPre).filter(input, { prereleases: pre });
      assert.deepEqual(got, expected, `${spec} ${specPre} ${pre} ${input.join(" ")}`);
    }
    for (const [spec, input, expected] of table("test_specifier_filter_arbitrary_equality_normalization") as [
      string,
      Json[],
      Json[],
    ][]) {
      const got = new Specifier(spec, true).filter(input.map(item)).map(show);
      assert.deepEqual(got, expected.map(item).map(show), spec);
    }
  });

  it("test_specifier_filter_with_key", () => {
    const items = [{ version: "1.0" }, { version: "2.1a1" }];
    for (const [pre, indexes] of table("test_specifier_filter_with_key") as [boolean | null, number[]][]) {
      const got = new Specifier(">=2.0").filter(items, { prereleases: pre, key: (x) => x.version });
      assert.deepEqual(got, indexes.map((i) => items[i]));
    }
  });

  it("prereleases detection, operator, version and str", () => {
    for (const [spec, expected] of table("test_specifier_prereleases_detection") as [string, boolean | null][]) {
      assert.equal(new Specifier(spec).prereleases, expected, spec);
    }
    for (const [spec, op] of table("test_specifier_operator_property") as [string, string][]) {
      assert.equal(new Specifier(spec).operator, op, spec);
    }
    for (const [spec, version] of table("test_specifier_version_property") as [string, string][]) {
      assert.equal(new Specifier(spec).version, version, spec);
    }
    for (const [spec, expected] of table("test_specifiers_str_and_repr") as [string, string][]) {
      assert.equal(new Specifier(spec).toString(), expected, spec);
    }
  });

  it("test_boundary_closure_short_release", () => {
    for (const [spec, version, expected] of rows(vectors, "test_boundary_closure_short_release") as [
      string,
      string,
      boolean,
    ][]) {
      const s = new Specifier(spec);
      assert.equal(s.contains(parseVersion(version)), expected, `${version} in ${spec}`);
      assert.equal(s.filter([version], { prereleases: true }).length === 1, expected);
    }
  });
});
