// Differential test: pypkg against Debian's python3-packaging (23.0), run as one subprocess per batch
// (JSON on stdin/stdout). Cases are generated from a seeded PRNG, so failures reproduce. Where
// packaging 23.0 and the current standard (packaging 26.x, which pypkg follows) disagree, the case is
// classified by a narrow, named rule below and counted separately; anything else is a disagreement.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import {
  compareReleases,
  evaluateMarker,
  formatRequirement,
  parseMarker,
  parseRequirement,
  parseSpecifierSet,
  parseVersion,
  tryParseVersion,
  type MarkerEnvironment,
  type Version,
} from "../../../src/pypkg/index.js";
import {
  Random,
  randomEnvironment,
  randomMarker,
  randomPlainVersion,
  randomRequirement,
  randomSpecifier,
  randomSpecifierSet,
  randomVersionText,
} from "./random-cases.js";

const PYTHON = "/usr/bin/python3";
const ORACLE = new URL("./packaging-oracle.py", import.meta.url).pathname;
const SEED = Number(process.env["PYPKG_DIFF_SEED"] ?? 20260823);

type Answer = unknown;
interface OracleOutput {
  packaging: string;
  versions: Answer[];
  compare: Answer[];
  specifiers: Answer[];
  contains: Answer[];
  requirements: Answer[];
  markers: Answer[];
}

function oracle(questions: object): OracleOutput {
  const probe = spawnSync(PYTHON, ["-c", "import packaging"], { encoding: "utf8" });
  if (probe.error !== undefined || probe.status !== 0) {
    assert.fail(
      `python3-packaging is missing (${PYTHON} -c "import packaging" failed): install it with apt-get install python3-packaging`,
    );
  }
  const run = spawnSync(PYTHON, [ORACLE], { input: JSON.stringify(questions), encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  assert.equal(run.status, 0, `oracle failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as OracleOutput;
}

function guard<T>(fn: () => T): T | { error: string } {
  try {
    return fn();
  } catch (error) {
    return { error: error instanceof Error ? error.name : "unknown" };
  }
}

const isError = (a: unknown): boolean => typeof a === "object" && a !== null && "error" in a;

function sameBase(a: Version, b: Version): boolean {
  return a.epoch === b.epoch && compareReleases(a.release, b.release) === 0;
}

/**
 * Documented differences between packaging 23.0 and the current rules (packaging ≥ 26, PEP 440 text).
 * Each returns a name when the case falls under it and the answers differ the way it describes.
 */
function containsDeviation(spec: string, version: string, pre: boolean | null, ours: boolean, theirs: Answer): string | null {
  const set = parseSpecifierSet(spec);
  const v = parseVersion(version);
  if (pre === null && v.isPrerelease && ours && theirs === false && set.contains(version, { prereleases: true })) {
    // packaging 26.0: with no explicit policy a single pre-release matches (PEP 440: pre-releases are
    // accepted when nothing else satisfies the specifier); 23.0 refused unless a member named a pre-release.
    return "single-version-prerelease-accepted";
  }
  for (const s of set.specifiers) {
    const V = tryParseVersion(s.version.replace(/\.\*$/, ""));
    if (V === null) {
      // 23.0 read the pre-release stance of "===<not a version>" by parsing it, and raised InvalidVersion.
      if (s.operator === "===" && pre === null && JSON.stringify(theirs) === '{"error":"InvalidVersion"}') return "arbitrary-non-version-raises";
      continue;
    }
    if (s.operator === "~=" && V.toString() !== s.version && theirs !== ours) {
      // 23.0 built the prefix of ~= by splitting the spec *text* on "."; unnormalised spellings such as
      // "~=2.2-RC_10-DEV.0" produced a wrong prefix. PEP 440 defines ~= on the parsed version.
      return "compatible-release-unnormalised-text";
    }
    if (s.operator === ">" && theirs === false && ours && sameBase(v, V) && ((v.post !== null && V.post === null) || v.local !== null)) {
      // PEP 440: ">V MUST NOT allow a post-release (or local) *of V*"; 23.0 excluded those of V's whole base release.
      return "gt-excludes-whole-base";
    }
    if (s.operator === "<" && theirs === false && ours && !V.isPrerelease && v.isPrerelease && sameBase(v, V)) {
      // "<V MUST NOT allow a pre-release *of V*"; for V = 1.0.post1, 23.0 also refused 1.0a1 (a pre-release of 1.0).
      return "lt-excludes-whole-base";
    }
    const prefixMatch = s.operator === "~=" || ((s.operator === "==" || s.operator === "!=") && s.version.endsWith(".*"));
    if (prefixMatch && v.epoch !== V.epoch) {
      // 23.0's prefix matching (==X.*, !=X.*, and the prefix half of ~=) split versions on "." without
      // separating the epoch, so "2!1.1" matched "==1.*"; PEP 440 compares epochs first.
      return "prefix-match-ignores-epoch";
    }
    if (s.operator === "===" && s.version.toLowerCase() !== v.toString().toLowerCase() && theirs !== ours) {
      // 23.0 compared === against the normalised version; packaging 26 compares the text as given.
      return "arbitrary-equality-normalised";
    }
  }
  return null;
}

function requirementDeviation(text: string, ours: Answer, theirs: Answer): string | null {
  const o = ours as { url?: string | null; marker?: string | null } & Record<string, unknown>;
  const t = theirs as { marker?: string | null } & Record<string, unknown>;
  if (!isError(ours) && isError(theirs) && typeof o.url === "string" && !/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]/.test(o.url)) {
    // 23.0 rejected URLs without scheme and host (e.g. "./local"); packaging 26 leaves URL checks to installers.
    return "url-validation";
  }
  if (isError(ours) && !isError(theirs) && /[\r\n]$/.test(text)) {
    const trimmed = guard(() => formatRequirement(parseRequirement(text.replace(/[\r\n]+$/, ""))));
    // packaging 26 rejects a trailing line break (tests/test_requirements.py test_error_when_suffixed_with_line_break).
    if (!isError(trimmed)) return "trailing-line-break";
  }
  if (!isError(ours) && !isError(theirs) && typeof t.marker === "string" && typeof o.marker === "string") {
    const { marker: _a, ...restOurs } = o;
    const { marker: _b, ...restTheirs } = t;
    // packaging 26 normalises extra names inside markers when parsing (PEP 685); 23.0 only when evaluating.
    if (JSON.stringify(restOurs) === JSON.stringify(restTheirs)) {
      if (parseMarker(t.marker).toString() === o.marker) return "extra-normalised-in-str";
      // 23.0 printed "((a or b)) and c" as "a or b and c" (a different marker); packaging 26 keeps the parentheses.
      if (/\([ \t]*\(/.test(text)) return "double-parentheses-dropped";
    }
  }
  return null;
}

describe("differential: pypkg vs Debian python3-packaging", () => {
  it("agrees on versions, specifiers, requirements and markers (seeded random cases)", () => {
    const r = new Random(SEED);
    const versions = Array.from({ length: 4000 }, () => randomVersionText(r));
    const valid = versions.filter((v) => tryParseVersion(v) !== null);
    const compare = Array.from({ length: 8000 }, () => [r.pick(valid), r.pick(valid)] as [string, string]);
    const specifiers = Array.from({ length: 3000 }, () => randomSpecifierSet(r));
    const validSpecs = specifiers.filter((s) => guard(() => parseSpecifierSet(s)) instanceof Object && !isError(guard(() => parseSpecifierSet(s))));
    const contains: [string, string, boolean | null][] = [];
    for (let i = 0; i < 12000; i++) {
      const spec = r.chance(0.5) ? r.pick(validSpecs) : randomSpecifier(r);
      if (isError(guard(() => parseSpecifierSet(spec)))) continue;
      contains.push([spec, randomPlainVersion(r, r.chance(0.3)), r.chance(0.2) ? null : r.chance(0.5)]);
    }
    const requirements = Array.from({ length: 4000 }, () => randomRequirement(r));
    const markers: [string, Record<string, string>][] = Array.from({ length: 4000 }, () => [randomMarker(r), randomEnvironment(r)]);

    const started = Date.now();
    const py = oracle({ versions, compare, specifiers, contains, requirements, markers });
    const pythonMs = Date.now() - started;

    const disagreements: string[] = [];
    const documented = new Map<string, number>();
    const note = (name: string): void => {
      documented.set(name, (documented.get(name) ?? 0) + 1);
    };
    const differ = (what: string, input: unknown, ours: unknown, theirs: unknown): void => {
      if (disagreements.length < 25) disagreements.push(`${what} ${JSON.stringify(input)}: ours ${JSON.stringify(ours)} vs 23.0 ${JSON.stringify(theirs)}`);
      else disagreements.push("…");
    };

    versions.forEach((text, i) => {
      const ours = guard(() => parseVersion(text).toString());
      const theirs = py.versions[i];
      if (isError(ours) && isError(theirs)) return;
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) differ("version", text, ours, theirs);
    });
    compare.forEach(([a, b], i) => {
      const ours = parseVersion(a).compare(parseVersion(b));
      if (ours !== py.compare[i]) differ("compare", [a, b], ours, py.compare[i]);
    });
    specifiers.forEach((text, i) => {
      const ours = guard(() => parseSpecifierSet(text).toString());
      const theirs = py.specifiers[i];
      if (isError(ours) && isError(theirs)) return;
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) differ("specifier", text, ours, theirs);
    });
    contains.forEach(([spec, version, pre], i) => {
      const ours = parseSpecifierSet(spec).contains(version, { prereleases: pre });
      const theirs = py.contains[i];
      if (ours === theirs) return;
      const deviation = containsDeviation(spec, version, pre, ours, theirs);
      if (deviation !== null) note(deviation);
      else differ("contains", [spec, version, pre], ours, theirs);
    });
    requirements.forEach((text, i) => {
      const ours = guard(() => {
        const req = parseRequirement(text);
        return {
          name: req.name,
          extras: [...req.extras].sort(),
          specifier: req.specifier.toString(),
          url: req.url,
          marker: req.marker === null ? null : req.marker.toString(),
        };
      });
      const theirs = py.requirements[i];
      if (isError(ours) && isError(theirs)) return;
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
        const deviation = requirementDeviation(text, ours, theirs);
        if (deviation !== null) note(deviation);
        else differ("requirement", text, ours, theirs);
      } else if (!isError(ours)) assert.ok(formatRequirement(parseRequirement(text)));
    });
    markers.forEach(([marker, env], i) => {
      const ours = guard(() => evaluateMarker(marker, env as unknown as MarkerEnvironment));
      const theirs = py.markers[i];
      if (JSON.stringify(ours) === JSON.stringify(theirs)) return;
      if (isError(ours) && isError(theirs)) return;
      if (typeof ours === "boolean" && JSON.stringify(theirs) === '{"error":"InvalidVersion"}') {
        // packaging 26: a version comparison with a value that is not a version is false; 23.0 raised InvalidVersion.
        note("marker-invalid-version-raises");
        return;
      }
      const unnormalisedCompatible = [...marker.matchAll(/~=\s*["']([^"']*)["']/g)].some((m) => {
        const parsed = tryParseVersion(m[1] ?? "");
        return parsed !== null && parsed.toString() !== m[1];
      });
      if (unnormalisedCompatible) {
        note("compatible-release-unnormalised-text"); // same 23.0 ~= prefix bug as above, inside a marker
        return;
      }
      differ("marker", [marker, env], ours, theirs);
    });

    const total = versions.length + compare.length + specifiers.length + contains.length + requirements.length + markers.length;
    console.log(
      `differential: ${total} cases against packaging ${py.packaging} (python ${pythonMs} ms); ` +
        `documented 23.0 deviations: ${JSON.stringify(Object.fromEntries(documented))}`,
    );
    assert.deepEqual(disagreements, []);
  });
});
