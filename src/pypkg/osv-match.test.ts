import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { isAffected, type OsvRecord } from "./osv-match.js";
import { fileURLToPath } from "node:url";

// ../shared sits beside the repository (the steering repo's fixtures).
const OSV = fileURLToPath(new URL("../../../shared/fixtures/osv/", import.meta.url));

function load(path: string): OsvRecord {
  const text = readFileSync(OSV + path, "utf8");
  return (path.endsWith(".json") ? JSON.parse(text) : parseYaml(text)) as OsvRecord;
}

// The expected answers of ../shared/fixtures/README.md.
const CASES: [string, string, string[], string[]][] = [
  ["pypa-advisory-database/vulns/jinja2/PYSEC-2021-66.yaml", "jinja2", ["2.11.2", "2.0rc1"], ["2.11.3"]],
  ["pypa-advisory-database/vulns/urllib3/PYSEC-2023-212.yaml", "urllib3", ["1.26.17", "2.0.0", "2.0.6"], ["1.26.18", "2.0.7"]],
  ["pypa-advisory-database/vulns/requests/PYSEC-2023-74.yaml", "requests", ["2.3.0", "2.30.0"], ["2.2.1", "2.31.0"]],
  ["pypa-advisory-database/vulns/setuptools/PYSEC-2022-43012.yaml", "setuptools", ["65.5.0", "0.6c11"], ["65.5.1"]],
  ["pypa-advisory-database/vulns/pillow/PYSEC-2022-42980.yaml", "pillow", ["9.2.0"], ["9.1.1", "9.3.0"]],
  ["pypa-advisory-database/vulns/pillow/PYSEC-2023-175.yaml", "pillow", ["10.0.0"], ["10.0.1"]],
  ["pypa-advisory-database/vulns/py/PYSEC-2022-42969.yaml", "py", ["1.11.0", "1.4.0"], ["1.11.1"]],
  [
    "pypa-advisory-database/vulns/django/PYSEC-2023-61.yaml",
    "django",
    ["3.2.18", "4.1.8", "4.2.0", "3.2rc1", "4.2a1"],
    ["3.2.19", "4.1.9", "4.2.1"],
  ],
  ["pypa-advisory-database/vulns/redis/PYSEC-2023-73.yaml", "redis", [], ["4.5.4"]],
  ["malicious/pypi/litellm/MAL-2026-2144.json", "litellm", ["1.82.7", "1.82.8"], ["1.82.6"]],
];

describe("isAffected against real OSV records", () => {
  for (const [path, pkg, affected, safe] of CASES) {
    it(path, () => {
      const record = load(path);
      for (const v of affected) assert.equal(isAffected(record, v, { package: pkg }), true, `${v} should be affected`);
      for (const v of safe) assert.equal(isAffected(record, v, { package: pkg }), false, `${v} should not be affected`);
      assert.equal(isAffected(record, affected[0] ?? "1.0", { package: "some-other-package" }), false);
    });
  }

  it("pre-releases of Django are affected only through the versions list", () => {
    const record = load("pypa-advisory-database/vulns/django/PYSEC-2023-61.yaml");
    const rangesOnly: OsvRecord = { affected: (record.affected ?? []).map((a) => ({ ...a, versions: [] })) };
    assert.equal(isAffected(rangesOnly, "4.2a1"), false);
    assert.equal(isAffected(record, "4.2a1"), true);
  });

  it("skips non-PEP 440 strings without crashing and honours limit", () => {
    const record: OsvRecord = {
      affected: [
        {
          package: { ecosystem: "PyPI", name: "x" },
          versions: ["0.7.10p1", "2.0.0-final"],
          ranges: [
            { type: "ECOSYSTEM", events: [{ introduced: "not a version" }, { introduced: "1.0" }, { limit: "1.5" }] },
            { type: "GIT", events: [{ introduced: "0" }] },
          ],
        },
      ],
    };
    assert.equal(isAffected(record, "0.7.10p1"), true);
    assert.equal(isAffected(record, "1.2"), true);
    assert.equal(isAffected(record, "1.5"), false);
    assert.equal(isAffected(record, "0.5"), false);
    assert.equal(isAffected(record, "garbage"), false);
  });
});
