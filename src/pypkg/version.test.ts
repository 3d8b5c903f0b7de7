import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canonicalizeVersion } from "./canonicalize-version.js";
import { compareVersions, sortVersions } from "./compare-versions.js";
import { InvalidVersion } from "./errors.js";
import { parseVersion, tryParseVersion } from "./parse-version.js";
import { Version } from "./version.js";
import { isVersionObject, loadVectors, rows, versionText, type Json } from "../../test/fixtures/pypkg/load-vectors.js";

const vectors = loadVectors("version");
const utils = loadVectors("utils");
const VERSIONS = vectors.constants["VERSIONS"] as string[];

function pairs(test: string): [string, Json][] {
  return rows(vectors, test).map((row) => {
    const [a, b] = row as [string, Json];
    return [a, b];
  });
}

describe("packaging VERSIONS ordering (test_comparison_true/false)", () => {
  it("accepts every version and orders the list strictly ascending, every pair", () => {
    const parsed = VERSIONS.map((v) => parseVersion(v));
    let checked = 0;
    for (let i = 0; i < parsed.length; i++) {
      for (let j = 0; j < parsed.length; j++) {
        const expected = i < j ? -1 : i > j ? 1 : 0;
        assert.equal(parsed[i]!.compare(parsed[j]!), expected, `${VERSIONS[i]} vs ${VERSIONS[j]}`);
        checked++;
      }
    }
    assert.equal(checked, VERSIONS.length ** 2);
  });

  it("sortVersions restores the order from a shuffled copy", () => {
    const shuffled = [...VERSIONS].reverse();
    assert.deepEqual(sortVersions(shuffled), VERSIONS);
  });
});

describe("packaging version tables", () => {
  it("valid versions parse", () => {
    for (const v of rows(vectors, "TestVersion.test_valid_versions")) assert.ok(parseVersion(v as string));
  });

  it("invalid versions throw InvalidVersion carrying the text", () => {
    for (const v of rows(vectors, "TestVersion.test_invalid_versions") as string[]) {
      assert.throws(() => parseVersion(v), (e: unknown) => e instanceof InvalidVersion && e.text === v, v);
      assert.equal(tryParseVersion(v), null);
    }
  });

  it("normalises", () => {
    for (const [input, normalized] of pairs("TestVersion.test_normalized_versions")) {
      assert.equal(parseVersion(input).toString(), normalized, input);
    }
    for (const [input, expected] of pairs("TestVersion.test_version_str_repr")) {
      assert.equal(parseVersion(input).toString(), expected, input);
    }
  });

  const attributes: [string, (v: Version) => Json][] = [
    ["public", (v) => v.public],
    ["base_version", (v) => v.baseVersion],
    ["epoch", (v) => Number(v.epoch)],
    ["release", (v) => v.release.map(Number)],
    ["local", (v) => v.local],
    ["pre", (v) => (v.pre === null ? null : [v.pre[0], Number(v.pre[1])])],
    ["dev", (v) => (v.dev === null ? null : Number(v.dev))],
    ["post", (v) => (v.post === null ? null : Number(v.post))],
    ["is_prerelease", (v) => v.isPrerelease],
    ["is_devrelease", (v) => v.isDevrelease],
    ["is_postrelease", (v) => v.isPostrelease],
  ];
  for (const [name, read] of attributes) {
    it(`attribute ${name}`, () => {
      for (const [input, expected] of pairs(`TestVersion.test_version_${name}`)) {
        assert.deepEqual(read(parseVersion(input)), expected, input);
      }
    });
  }

  it("from_parts builds versions equal to the expected strings", () => {
    for (const row of rows(vectors, "test_from_parts")) {
      const [args, expected] = row as [Record<string, Json>, string];
      // from_parts accepts any pre label spelling; reuse the parser's spelling rules.
      const part = (name: string, render: (value: Json) => string): string => {
        const value = args[name];
        return value === undefined || value === null ? "" : render(value);
      };
      const text =
        part("epoch", (e) => `${String(e)}!`) +
        (args["release"] as number[]).join(".") +
        part("pre", (p) => (p as [string, number]).join("")) +
        part("post", (p) => `.post${String(p)}`) +
        part("dev", (d) => `.dev${String(d)}`) +
        part("local", (l) => `+${String(l)}`);
      const v = parseVersion(text);
      assert.equal(Version.fromParts(v).compare(parseVersion(expected)), 0, JSON.stringify(args));
    }
  });
});

describe("canonicalizeVersion (packaging test_utils)", () => {
  it("strips trailing zeros and leaves non-versions alone", () => {
    for (const row of rows(utils, "test_canonicalize_version")) {
      const [input, expected] = row as [Json, string];
      const value = isVersionObject(input) ? parseVersion(versionText(input)) : (input as string);
      assert.equal(canonicalizeVersion(value), expected, JSON.stringify(input));
    }
    for (const input of rows(utils, "test_canonicalize_version_no_strip_trailing_zero") as string[]) {
      assert.equal(canonicalizeVersion(input, { stripTrailingZero: false }), input);
    }
  });
});

describe("compareVersions", () => {
  it("returns -1/0/1 and treats trailing zeros as equal", () => {
    assert.equal(compareVersions("1.0", "1.0.0"), 0);
    assert.equal(compareVersions("1.0rc1", "1.0"), -1);
    assert.equal(compareVersions("1!0.1", "2.0"), 1);
    assert.equal(compareVersions("1.0+abc.5", "1.0+abc.10"), -1);
    assert.equal(compareVersions("1.0+abc", "1.0+5"), -1);
  });

  it("keeps integers beyond 2^53 exact", () => {
    const big = "9007199254740993";
    assert.equal(parseVersion(`1.${big}`).toString(), `1.${big}`);
    assert.equal(compareVersions(`1.${big}`, "1.9007199254740992"), 1);
    assert.equal(compareVersions(`1.${big}0`, `1.${big}`), 1);
  });

  it("throws InvalidVersion for bad strings", () => {
    assert.throws(() => compareVersions("1.0", "nope"), InvalidVersion);
  });
});
