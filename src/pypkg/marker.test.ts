import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidMarker, UndefinedComparison, UndefinedEnvironmentName } from "./errors.js";
import { evaluateMarker } from "./evaluate-marker.js";
import { parseMarker } from "./marker.js";
import { targetEnvironment } from "./target-environment.js";
import { loadVectors, rows, type Json } from "../../test/fixtures/pypkg/load-vectors.js";

const vectors = loadVectors("markers");
const table = (name: string, index = 0): Json[] => rows(vectors, `TestMarker.${name}`, index);
// packaging's tables with environment None use the host (a POSIX Linux); this stands in for it.
const host = targetEnvironment("cp312-manylinux_x86_64").markers;

function unparam(row: Json): Json[] {
  if (row !== null && typeof row === "object" && !Array.isArray(row) && Array.isArray(row["$param"])) return row["$param"];
  return row as Json[];
}

describe("markers (packaging tests/test_markers.py)", () => {
  it("parses every valid marker (1,440 + 600 PEP 345 + 120 setuptools spellings)", () => {
    let count = 0;
    for (const name of ["test_parses_valid", "test_parses_pep345_valid", "test_parses_setuptools_legacy_valid"]) {
      for (const text of table(name) as string[]) {
        assert.ok(parseMarker(text), text);
        count++;
      }
    }
    assert.equal(count, 2160);
  });

  it("rejects invalid markers with InvalidMarker", () => {
    for (const text of table("test_parses_invalid") as string[]) assert.throws(() => parseMarker(text), InvalidMarker, text);
    for (const lineBreak of table("test_parses_invalid_trailing_line_break") as string[]) {
      assert.throws(() => parseMarker(`python_version >= "3"${lineBreak}`), InvalidMarker);
    }
    for (const ws of table("test_parses_trailing_horizontal_whitespace") as string[]) {
      assert.equal(parseMarker(`python_version >= "3"${ws}`).toString(), 'python_version >= "3"');
    }
    for (const [text, expected] of table("test_parses_invalid_malformed_quoted_string") as [string, string][]) {
      assert.throws(
        () => parseMarker(text),
        (e: unknown) => e instanceof InvalidMarker && `packaging.markers.InvalidMarker: ${e.message}` === expected,
        text,
      );
    }
  });

  it("str is canonical", () => {
    for (const [text, expected] of table("test_str_repr_eq_hash") as [string, string][]) {
      assert.equal(parseMarker(text).toString(), expected, text);
      assert.equal(parseMarker(expected).toString(), expected);
    }
    for (const variable of table("test_membership_value_str_normalization") as string[]) {
      assert.equal(parseMarker(`"S_P__A_M" in ${variable}`).toString(), `"s-p-a-m" in ${variable}`);
    }
    for (const [a, b] of table("test_different_markers_different_hashes") as [string, string][]) {
      assert.notEqual(parseMarker(a).toString(), parseMarker(b).toString());
    }
  });

  it("evaluates (test_evaluates, PEP 345 spellings, version-like extras)", () => {
    for (const name of ["test_evaluates", "test_evaluate_pep345_markers", "test_version_like_equality"]) {
      for (const [text, env, expected] of table(name) as [string, Record<string, string> | null, boolean][]) {
        assert.equal(evaluateMarker(text, { ...host, ...(env ?? {}) }), expected, `${name}: ${text} ${JSON.stringify(env)}`);
      }
    }
  });

  it("extras / dependency_groups sets (PEP 751)", () => {
    for (const variable of table("test_extras_and_dependency_groups", 1) as string[]) {
      for (const row of table("test_extras_and_dependency_groups")) {
        const [expression, result] = unparam(row) as [string, boolean];
        const env = { ...host, [variable]: new Set(["foo", "bar"]) };
        assert.equal(evaluateMarker(expression.replaceAll("{0}", variable), env), result, expression);
      }
      const marker = parseMarker(`"foo" in ${variable}`);
      assert.equal(evaluateMarker(marker, host, { context: "lock_file" }), false);
      assert.throws(() => evaluateMarker(marker, host), UndefinedEnvironmentName);
    }
    for (const variable of table("test_set_valued_marker_on_lhs_raises_undefined_comparison", 1) as string[]) {
      for (const op of table("test_set_valued_marker_on_lhs_raises_undefined_comparison") as string[]) {
        assert.throws(() => evaluateMarker(`${variable} ${op} "foo"`, host, { context: "lock_file" }), UndefinedComparison);
      }
    }
  });

  it("extra normalisation, python_full_version '+' repair, undefined comparisons", () => {
    assert.equal(evaluateMarker("'S_P__A_M' == extra", { ...host, extra: "s.p-a_m" }), true);
    assert.equal(evaluateMarker('python_full_version >= "3.12"', { ...host, python_full_version: "3.12.0+" }), true);
    assert.throws(() => evaluateMarker('os_name ~= "posix"', host), UndefinedComparison);
    assert.equal(evaluateMarker('platform_release >= "5"', { ...host, platform_release: "6.1.0-18-amd64" }), false);
    assert.equal(evaluateMarker('platform_release >= "5"', { ...host, platform_release: "6.1.0" }), true);
  });
});

describe("target environments", () => {
  it("gives z/OS and Linux marker values", () => {
    const zos = targetEnvironment("cp314-zos_s390x").markers;
    assert.equal(zos.sys_platform, "zos");
    assert.equal(zos.platform_system, "OS/390");
    assert.equal(evaluateMarker('sys_platform == "linux"', zos), false);
    assert.equal(evaluateMarker('python_version >= "3.14"', zos), true);
    const arm = targetEnvironment("cp310-manylinux_aarch64").markers;
    assert.equal(evaluateMarker('platform_machine == "aarch64" and python_version < "3.11"', arm), true);
  });
});
