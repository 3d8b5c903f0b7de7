import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCoreMetadata, type CoreMetadata } from "./core-metadata.js";
import { loadVectors, readFixture, rows } from "../../test/fixtures/pypkg/load-vectors.js";

const vectors = loadVectors("metadata");
// packaging's header name → raw field name (its _EMAIL_TO_RAW_MAPPING), and our camelCase key for it.
const HEADERS: Record<string, [string, keyof CoreMetadata]> = {
  author: ["author", "author"],
  author_email: ["author-email", "authorEmail"],
  classifiers: ["classifier", "classifiers"],
  description: ["description", "description"],
  description_content_type: ["description-content-type", "descriptionContentType"],
  download_url: ["download-url", "downloadUrl"],
  dynamic: ["dynamic", "dynamic"],
  home_page: ["home-page", "homePage"],
  import_names: ["import-name", "importNames"],
  import_namespaces: ["import-namespace", "importNamespaces"],
  license: ["license", "license"],
  license_expression: ["license-expression", "licenseExpression"],
  license_files: ["license-file", "licenseFiles"],
  maintainer: ["maintainer", "maintainer"],
  maintainer_email: ["maintainer-email", "maintainerEmail"],
  metadata_version: ["metadata-version", "metadataVersion"],
  name: ["name", "name"],
  obsoletes: ["obsoletes", "obsoletes"],
  obsoletes_dist: ["obsoletes-dist", "obsoletesDist"],
  platforms: ["platform", "platforms"],
  provides: ["provides", "provides"],
  provides_dist: ["provides-dist", "providesDist"],
  provides_extra: ["provides-extra", "providesExtra"],
  requires: ["requires", "requires"],
  requires_dist: ["requires-dist", "requiresDist"],
  requires_external: ["requires-external", "requiresExternal"],
  requires_python: ["requires-python", "requiresPython"],
  summary: ["summary", "summary"],
  supported_platforms: ["supported-platform", "supportedPlatforms"],
  version: ["version", "version"],
};

function fields(m: CoreMetadata): string[] {
  return Object.keys(m).filter((k) => k !== "unparsed");
}

describe("core metadata (packaging tests/test_metadata.py TestRawMetadata)", () => {
  it("single- and multi-use fields, once and repeated", () => {
    const field = (raw: string): [string, keyof CoreMetadata] => {
      const entry = HEADERS[raw];
      assert.ok(entry, raw);
      return entry;
    };
    for (const raw of rows(vectors, "TestRawMetadata.test_non_repeating_fields_only_once") as string[]) {
      const [header, key] = field(raw);
      const m = parseCoreMetadata(`${header}: VaLuE`);
      assert.deepEqual(m.unparsed, {});
      assert.deepEqual(fields(m), [key]);
      assert.equal(m[key], "VaLuE");
    }
    for (const raw of rows(vectors, "TestRawMetadata.test_non_repeating_fields_repeated") as string[]) {
      const [header] = field(raw);
      const m = parseCoreMetadata(`${header}: VaLuE\n${header}: VaLuE`);
      assert.deepEqual(fields(m), []);
      assert.deepEqual(m.unparsed, { [header]: ["VaLuE", "VaLuE"] });
    }
    for (const raw of rows(vectors, "TestRawMetadata.test_repeating_fields_only_once") as string[]) {
      const [header, key] = field(raw);
      assert.deepEqual(parseCoreMetadata(`${header}: VaLuE`)[key], ["VaLuE"]);
      assert.deepEqual(parseCoreMetadata(`${header}: VaLuE\n${header}: VaLuE`)[key], ["VaLuE", "VaLuE"]);
    }
  });

  it("keywords, project URLs and description placement", () => {
    for (const [given, expected] of rows(vectors, "TestRawMetadata.test_keywords") as [string, string[]][]) {
      assert.deepEqual(parseCoreMetadata(`Keywords: ${given}`).keywords, expected, given);
    }
    for (const [given, expected] of rows(vectors, "TestRawMetadata.test_project_urls_parsing") as [string, Record<string, string>][]) {
      const m = parseCoreMetadata(`project-url: ${given}`);
      assert.deepEqual(m.unparsed, {});
      assert.deepEqual(m.projectUrls, expected, given);
    }
    const dup = parseCoreMetadata("project-url: A, B\nproject-url: A, C");
    assert.equal(dup.projectUrls, undefined);
    assert.deepEqual(dup.unparsed, { "project-url": ["A, B", "A, C"] });
    for (const given of (rows(vectors, "TestRawMetadata.test_description") as unknown[]).filter((g) => typeof g === "string") as string[]) {
      assert.equal(parseCoreMetadata(given).description, "hello", given);
    }
    for (const [given, expected] of rows(vectors, "TestRawMetadata.test_description_multiple") as [string, string[]][]) {
      const m = parseCoreMetadata(given);
      assert.deepEqual(fields(m), []);
      assert.deepEqual(m.unparsed, { description: expected });
    }
  });

  it("everything.metadata (test_complete's expectations)", () => {
    const m = parseCoreMetadata(readFixture("packaging-everything.metadata"));
    assert.deepEqual(m.unparsed, { thisisnotreal: ["Hello!"] });
    assert.equal(fields(m).length, 28);
    assert.equal(m.metadataVersion, "2.6");
    assert.equal(m.name, "BeagleVote");
    assert.equal(m.version, "1.0a2");
    assert.deepEqual(m.platforms, ["ObscureUnix", "RareDOS"]);
    assert.deepEqual(m.supportedPlatforms, ["RedHat 7.2", "i386-win32-2791"]);
    assert.equal(m.descriptionContentType, "text/markdown; charset=UTF-8; variant=GFM");
    assert.deepEqual(m.keywords, ["dog", "puppy", "voting", "election"]);
    assert.equal(m.downloadUrl, "…/BeagleVote-0.45.tgz");
    assert.equal(m.author, "C. Schultz, Universal Features Syndicate,\n        Los Angeles, CA <cschultz@peanuts.example.com>");
    assert.equal(m.authorEmail, '"C. Schultz" <cschultz@example.com>');
    assert.equal(
      m.license,
      "This software may only be obtained by sending the\n        author a postcard, and then the user promises not\n        to redistribute it.",
    );
    assert.equal(m.licenseExpression, "Apache-2.0 OR BSD-2-Clause");
    assert.deepEqual(m.licenseFiles, ["LICENSE.APACHE", "LICENSE.BSD"]);
    assert.deepEqual(m.providesExtra, ["pdf"]);
    assert.deepEqual(m.requiresDist, [
      "reportlab; extra == 'pdf'",
      "pkginfo",
      "PasteDeploy",
      "zope.interface (>3.5.0)",
      "pywin32 >1.0; sys_platform == 'win32'",
    ]);
    assert.equal(m.requiresPython, ">=3");
    assert.deepEqual(m.projectUrls, {
      "Bug Tracker": "http://bitbucket.org/tarek/distribute/issues/",
      Documentation: "https://example.com/BeagleVote",
    });
    assert.deepEqual(m.providesDist, ["OtherProject", "AnotherProject (3.4)", 'virtual_package; python_version >= "3.4"']);
    assert.deepEqual(m.dynamic, ["Obsoletes-Dist"]);
    assert.equal(m.description, "This description intentionally left blank.\n");
    assert.deepEqual(m.importNames, ["beaglevote", "_beaglevote ; private"]);
    assert.deepEqual(m.importNamespaces, ["spam", "_bacon ; private"]);
  });
});
