import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidRequirement } from "./errors.js";
import { parseMarker } from "./marker.js";
import { formatRequirement, parseRequirement } from "./requirement.js";
import { parseSpecifierSet } from "./specifier-set.js";
import { loadVectors, rows, type Json } from "../../test/fixtures/pypkg/load-vectors.js";

const vectors = loadVectors("requirements");
const basic = (index: number): Json[] => rows(vectors, "test_basic_valid_requirement_parsing", index);

describe("requirements (packaging tests/test_requirements.py)", () => {
  it("test_basic_valid_requirement_parsing: every combination (5,184 strings)", () => {
    // Decorators are stacked bottom-up in the extracted file: whitespace, marker, (url, specifier), extras, name.
    const whitespaces = basic(0) as string[];
    const markers = basic(1) as (string | null)[];
    const urlSpecs = basic(2) as [string | null, string][];
    const extrasList = basic(3) as string[][];
    const names = basic(4) as string[];
    let count = 0;
    for (const name of names) {
      for (const extras of extrasList) {
        for (const [url, specifier] of urlSpecs) {
          for (const marker of markers) {
            for (const ws of whitespaces) {
              const fill = (s: string): string => s.replaceAll("{ws}", ws);
              const parts = [name];
              if (extras.length > 0) parts.push("[", [...extras].sort().join(`${ws},${ws}`), "]");
              if (specifier) parts.push(fill(specifier));
              if (url !== null) parts.push("@", fill(url));
              if (marker !== null) parts.push(url !== null ? " ;" : ";", fill(marker));
              const text = parts.join(ws);
              const req = parseRequirement(text);
              assert.equal(req.name, name, text);
              assert.deepEqual(new Set(req.extras), new Set(extras), text);
              assert.equal(req.url, url, text);
              const expectedSpec = specifier.replaceAll("{ws}", "").replace(/^\(+|\)+$/g, "");
              assert.equal(req.specifier.toString(), parseSpecifierSet(expectedSpec).toString(), text);
              assert.equal(req.marker?.toString() ?? null, marker === null ? null : parseMarker(marker.replaceAll("{ws}", "")).toString(), text);
              count++;
            }
          }
        }
      }
    }
    assert.equal(count, 5184);
  });

  it("exact error messages (non-parametrized error tests)", () => {
    const cases = vectors.constants["ERROR_MESSAGES"] as { test: string; input: string; exconly: string }[];
    assert.ok(cases.length >= 20);
    for (const { input, exconly } of cases) {
      assert.throws(
        () => parseRequirement(input),
        (e: unknown) => e instanceof InvalidRequirement && `packaging.requirements.InvalidRequirement: ${e.message}` === exconly && e.text === input,
        JSON.stringify(input),
      );
    }
  });

  it("parametrized validity tables", () => {
    for (const marker of rows(vectors, "TestRequirementParsing.test_valid_marker") as string[]) assert.ok(parseRequirement(`name; ${marker}`));
    for (const url of rows(vectors, "TestRequirementParsing.test_file_url") as string[]) {
      assert.equal(parseRequirement(`name @ ${url}`).url, url);
    }
    for (const req of rows(vectors, "TestRequirementParsing.test_error_when_suffixed_with_line_break", 1) as string[]) {
      for (const lb of rows(vectors, "TestRequirementParsing.test_error_when_suffixed_with_line_break") as string[]) {
        assert.throws(() => parseRequirement(req + lb), InvalidRequirement);
      }
    }
    for (const ws of rows(vectors, "TestRequirementParsing.test_trailing_horizontal_whitespace") as string[]) {
      assert.equal(formatRequirement(parseRequirement(`name>=1${ws}`)), "name>=1");
    }
    for (const op of rows(vectors, "TestRequirementParsing.test_error_when_local_version_label_is_used_incorrectly") as string[]) {
      assert.throws(() => parseRequirement(`name${op}1.0+local.version.label`), InvalidRequirement, op);
    }
    for (const op of rows(vectors, "TestRequirementParsing.test_error_when_prefix_match_uses_post_release") as string[]) {
      assert.throws(() => parseRequirement(`name${op}1.0.post1.*`), InvalidRequirement, op);
    }
    for (const [input, normalized] of rows(vectors, "test_normalized_requirements") as [string, string][]) {
      assert.equal(formatRequirement(parseRequirement(input)), normalized);
    }
  });

  it("formats canonically and round-trips", () => {
    for (const text of rows(vectors, "test_pickle_requirement_roundtrip") as string[]) {
      const once = formatRequirement(parseRequirement(text));
      assert.equal(formatRequirement(parseRequirement(once)), once, text);
    }
    assert.equal(formatRequirement(parseRequirement("Foo [b, a] >= 1.0 , < 2 ; os_name == 'nt'")), 'Foo[a,b]<2,>=1.0; os_name == "nt"');
  });
});
