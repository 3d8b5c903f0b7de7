import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidName, InvalidSdistFilename, InvalidTag, InvalidWheelFilename } from "./errors.js";
import { isNormalizedName, normalizeName } from "./name.js";
import { parseSdistFilename } from "./sdist-filename.js";
import { isCompatible, platformTags, supportedTags } from "./supported-tags.js";
import { parseTag, tagToString } from "./tag.js";
import { targetEnvironment } from "./target-environment.js";
import { loadVectors, rows, versionText, type Json } from "../../test/fixtures/pypkg/load-vectors.js";
import { formatWheelFilename, parseWheelFilename } from "./wheel-filename.js";

const utils = loadVectors("utils");
const tags = loadVectors("tags");

describe("names (packaging tests/test_utils.py)", () => {
  it("normalises, validates and recognises normalised names", () => {
    for (const [name, expected] of rows(utils, "test_canonicalize_name") as [string, string][]) {
      assert.equal(normalizeName(name), expected);
    }
    for (const [name, expected] of rows(utils, "test_canonicalize_name_invalid") as [string, string][]) {
      assert.throws(() => normalizeName(name, { validate: true }), InvalidName, JSON.stringify(name));
      assert.equal(normalizeName(name), expected);
    }
    for (const [name, expected] of rows(utils, "test_is_normalized_name") as [string, string][]) {
      assert.ok(isNormalizedName(expected), expected);
      if (name !== expected) assert.ok(!isNormalizedName(name), name);
    }
  });
});

describe("wheel and sdist file names (packaging tests/test_utils.py, tests/test_tags.py)", () => {
  it("parses valid wheel names", () => {
    for (const [filename, name, version, build, tagList] of rows(utils, "test_parse_wheel_filename") as [
      string,
      string,
      Json,
      [number, string] | [],
      { $tag: string }[],
    ][]) {
      const w = parseWheelFilename(filename);
      assert.equal(w.name, name);
      assert.equal(w.version.toString(), versionText(version));
      assert.deepEqual(w.build ?? [], build);
      assert.deepEqual(new Set(w.tags.map(tagToString)), new Set(tagList.map((t) => t.$tag)));
    }
  });

  it("rejects invalid wheel names and (optionally) unsorted tag sets", () => {
    for (const filename of rows(utils, "test_parse_wheel_invalid_filename") as string[]) {
      assert.throws(() => parseWheelFilename(filename), (e: unknown) => e instanceof InvalidWheelFilename && e.text === filename, filename);
    }
    for (const filename of rows(utils, "test_parse_wheel_unsorted_tags_valid_by_default") as string[]) assert.ok(parseWheelFilename(filename));
    for (const filename of rows(utils, "test_parse_wheel_unsorted_tags_invalid_with_validate") as string[]) {
      assert.throws(() => parseWheelFilename(filename, { validateOrder: true }), InvalidWheelFilename);
    }
  });

  it("parses sdist names", () => {
    for (const [filename, name, version] of rows(utils, "test_parse_sdist_filename") as [string, string, Json][]) {
      const s = parseSdistFilename(filename);
      assert.equal(s.name, name);
      assert.equal(s.version.toString(), versionText(version));
    }
    for (const filename of rows(utils, "test_parse_sdist_invalid_filename") as string[]) {
      assert.throws(() => parseSdistFilename(filename), InvalidSdistFilename, filename);
    }
  });

  it("tag parsing rules (TestParseTag)", () => {
    for (const name of ["test_empty_component_raises", "test_invalid_component_count_raises", "test_invalid_interpreter_raises"]) {
      for (const tag of rows(tags, `TestParseTag.${name}`) as string[]) assert.throws(() => parseTag(tag), InvalidTag, tag);
    }
    for (const interpreter of rows(tags, "TestParseTag.test_identifier_interpreter_is_valid") as string[]) {
      assert.equal(parseTag(`${interpreter}-none-any`).length, 1);
    }
    assert.deepEqual(parseTag("py2.py3-none-any").map(tagToString), ["py2-none-any", "py3-none-any"]);
  });

  it("formats wheel names (escaping, build tag, compressed tags) and round-trips", () => {
    const name = "Foo.Bar-2.0-1build-cp312-cp312-manylinux2014_x86_64.manylinux_2_17_x86_64.whl";
    const w = parseWheelFilename(name);
    assert.equal(formatWheelFilename(w), "foo_bar-2.0-1build-cp312-cp312-manylinux2014_x86_64.manylinux_2_17_x86_64.whl");
  });
});

describe("supported tags for targets", () => {
  it("orders CPython tags as packaging's sys_tags does", () => {
    const list = supportedTags(targetEnvironment("cp312-manylinux_x86_64", { glibc: [2, 17] })).map(tagToString);
    const plats = platformTags({ kind: "manylinux", arch: "x86_64", glibc: [2, 17] });
    assert.equal(plats[0], "linux_x86_64");
    assert.ok(plats.includes("manylinux2014_x86_64") && plats.includes("manylinux2010_x86_64") && plats.includes("manylinux1_x86_64"));
    assert.equal(plats.at(-1), "manylinux1_x86_64");
    assert.equal(list[0], "cp312-cp312-linux_x86_64");
    assert.ok(list.indexOf("cp312-abi3-manylinux_2_17_x86_64") < list.indexOf("cp311-abi3-manylinux_2_17_x86_64"));
    assert.ok(list.includes("cp32-abi3-manylinux1_x86_64"));
    assert.ok(!list.includes("cp31-abi3-manylinux1_x86_64"));
    assert.deepEqual(list.slice(-3), ["py32-none-any", "py31-none-any", "py30-none-any"]);
    assert.ok(list.includes("cp312-none-any"));
  });

  it("decides compatibility per target", () => {
    const numpy = parseWheelFilename("numpy-2.1.0-cp312-cp312-manylinux_2_17_aarch64.manylinux2014_aarch64.whl").tags;
    assert.ok(isCompatible(numpy, targetEnvironment("cp312-manylinux_aarch64")));
    assert.ok(!isCompatible(numpy, targetEnvironment("cp312-manylinux_x86_64")));
    assert.ok(!isCompatible(numpy, targetEnvironment("cp313-manylinux_aarch64")));
    const pure = parseWheelFilename("six-1.16.0-py2.py3-none-any.whl").tags;
    assert.ok(isCompatible(pure, targetEnvironment("cp314-zos_s390x")));
    const zos = parseWheelFilename("pandas-2.3.3.post0-cp314-cp314-zos_s390x.whl").tags;
    assert.ok(isCompatible(zos, targetEnvironment("cp314-zos_s390x")));
    assert.ok(!isCompatible(zos, targetEnvironment("cp314-manylinux_s390x")));
    const musl = parseWheelFilename("x-1-cp311-abi3-musllinux_1_1_x86_64.whl").tags;
    assert.ok(isCompatible(musl, targetEnvironment("cp312-musllinux_x86_64")));
    assert.ok(!isCompatible(musl, targetEnvironment("cp312-manylinux_x86_64")));
  });
});
