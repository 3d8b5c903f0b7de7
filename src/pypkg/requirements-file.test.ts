import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { InvalidRequirementsFile } from "./errors.js";
import { formatRequirementsFile } from "./format-requirements-file.js";
import { parseRequirementsFile, pinnedRequirements } from "./requirements-file.js";
import { readFixture } from "../../test/fixtures/pypkg/load-vectors.js";
import { fileURLToPath } from "node:url";

const TOOLKIT = ["pyaitoolkit_1.13.0.post15.txt", "pyaitoolkit_1.14.0.post0.txt"];

function normalizeWhitespace(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/[ \t]+/g, " ").trim())
    .join("\n");
}

describe("toolkit requirements files (../shared/fixtures/toolkit-requirements)", () => {
  for (const name of TOOLKIT) {
    it(`${name}: reads every pin, version and hash exactly and round-trips`, () => {
      const text = readFixture(`toolkit-requirements/${name}`);
      const file = parseRequirementsFile(text);
      // Independent oracle: a plain line scan of the same text.
      const expected = text
        .split("\n")
        .map((line) => /^([A-Za-z0-9_.-]+)==(\S+) --hash=sha256:([0-9a-f]{64})$/.exec(line))
        .filter((m) => m !== null)
        .map((m) => ({ name: m[1], version: m[2], digest: m[3] }));
      const pins = pinnedRequirements(file);
      assert.ok(pins.length > 200);
      assert.deepEqual(
        pins.map((p) => ({ name: p.name, version: p.version, digest: p.hashes[0]?.digest })),
        expected,
      );
      assert.ok(pins.every((p) => p.hashes.length === 1 && p.hashes[0]?.algorithm === "sha256"));
      const options = file.lines.filter((l) => l.kind === "option").map((l) => (l.kind === "option" ? [l.name, l.value] : []));
      assert.deepEqual(options, [
        ["--index-url", "https://downloads.pyaitoolkit.ibm.net/repository/python_ai_toolkit_zos/simple"],
        ["--trusted-host", "downloads.pyaitoolkit.ibm.net"],
        ["--require-hashes", null],
        ["--only-binary", ":all:"],
      ]);
      const written = formatRequirementsFile(file);
      assert.equal(normalizeWhitespace(written), normalizeWhitespace(text));
      assert.equal(written, text, "byte-for-byte");
    });
  }

  it("the copy in the shared fixtures is what the test read", () => {
    const shared = readFileSync(fileURLToPath(new URL("../../../shared/fixtures/toolkit-requirements/pyaitoolkit_1.14.0.post0.txt", import.meta.url)), "utf8");
    assert.equal(readFixture("toolkit-requirements/pyaitoolkit_1.14.0.post0.txt"), shared);
  });
});

describe("requirements file syntax", () => {
  it("handles continuations, comments, includes, markers, short options and several hashes", () => {
    const text = [
      "-i https://example.org/simple  # primary",
      "-r base.txt",
      "-c constraints.txt",
      "--only-binary=:all:",
      "requests[socks]==2.31.0 ; python_version >= \"3.8\" \\",
      "    --hash=sha256:" + "1".repeat(64) + " \\",
      "    --hash=sha256:" + "2".repeat(64),
      "-e ./local",
      "./wheels/foo-1.0-py3-none-any.whl",
      "",
    ].join("\n");
    const file = parseRequirementsFile(text);
    const kinds = file.lines.map((l) => l.kind);
    assert.deepEqual(kinds, ["option", "include", "include", "option", "requirement", "requirement", "requirement"]);
    const req = file.lines[4];
    assert.ok(req?.kind === "requirement");
    assert.equal(req.requirement?.marker?.toString(), 'python_version >= "3.8"');
    assert.equal(req.hashes.length, 2);
    assert.equal(file.lines[0]?.kind === "option" ? file.lines[0].comment : null, " primary");
    const again = parseRequirementsFile(formatRequirementsFile(file));
    assert.deepEqual(formatRequirementsFile(again), formatRequirementsFile(file));
  });

  it("rejects unknown options with the line number", () => {
    assert.throws(() => parseRequirementsFile("six\n--frobnicate\n"), (e: unknown) => e instanceof InvalidRequirementsFile && /line 2/.test(e.message));
    assert.throws(() => parseRequirementsFile("six==1 --bogus=1\n"), InvalidRequirementsFile);
    assert.throws(() => parseRequirementsFile("not a requirement!\n"), InvalidRequirementsFile);
  });
});
