/**
 * Core metadata (`METADATA` / `PKG-INFO`) as parsed from its e-mail-header
 * form, with fields under packaging's raw names. Single-use fields are
 * strings, multi-use fields arrays, `keywords` a list, `projectUrls` a map.
 * Anything unknown, repeated where it must not be, or malformed lands in
 * `unparsed` (lower-cased header name -> values), as packaging does.
 *
 * @example
 * ```ts
 * const m: CoreMetadata = parseCoreMetadata("Metadata-Version: 2.4\nName: foo\nVersion: 1.0\n");
 * m.name; // "foo"
 * ```
 */
export interface CoreMetadata {
  metadataVersion?: string;
  name?: string;
  version?: string;
  summary?: string;
  description?: string;
  descriptionContentType?: string;
  keywords?: string[];
  homePage?: string;
  downloadUrl?: string;
  author?: string;
  authorEmail?: string;
  maintainer?: string;
  maintainerEmail?: string;
  license?: string;
  licenseExpression?: string;
  licenseFiles?: string[];
  classifiers?: string[];
  platforms?: string[];
  supportedPlatforms?: string[];
  requiresDist?: string[];
  requiresPython?: string;
  requiresExternal?: string[];
  projectUrls?: Record<string, string>;
  providesExtra?: string[];
  providesDist?: string[];
  obsoletesDist?: string[];
  requires?: string[];
  provides?: string[];
  obsoletes?: string[];
  dynamic?: string[];
  importNames?: string[];
  importNamespaces?: string[];
  /** Fields that were not understood, by lower-cased header name. */
  unparsed: Record<string, string[]>;
}

type StringField =
  | "author"
  | "authorEmail"
  | "description"
  | "descriptionContentType"
  | "downloadUrl"
  | "homePage"
  | "license"
  | "licenseExpression"
  | "maintainer"
  | "maintainerEmail"
  | "metadataVersion"
  | "name"
  | "requiresPython"
  | "summary"
  | "version";
type ListField =
  | "classifiers"
  | "dynamic"
  | "licenseFiles"
  | "obsoletes"
  | "obsoletesDist"
  | "platforms"
  | "provides"
  | "providesDist"
  | "providesExtra"
  | "requires"
  | "requiresDist"
  | "requiresExternal"
  | "supportedPlatforms"
  | "importNames"
  | "importNamespaces";

const STRING_FIELDS: Readonly<Record<string, StringField>> = {
  author: "author",
  "author-email": "authorEmail",
  description: "description",
  "description-content-type": "descriptionContentType",
  "download-url": "downloadUrl",
  "home-page": "homePage",
  license: "license",
  "license-expression": "licenseExpression",
  maintainer: "maintainer",
  "maintainer-email": "maintainerEmail",
  "metadata-version": "metadataVersion",
  name: "name",
  "requires-python": "requiresPython",
  summary: "summary",
  version: "version",
};

const LIST_FIELDS: Readonly<Record<string, ListField>> = {
  classifier: "classifiers",
  dynamic: "dynamic",
  "license-file": "licenseFiles",
  obsoletes: "obsoletes",
  "obsoletes-dist": "obsoletesDist",
  platform: "platforms",
  provides: "provides",
  "provides-dist": "providesDist",
  "provides-extra": "providesExtra",
  requires: "requires",
  "requires-dist": "requiresDist",
  "requires-external": "requiresExternal",
  "supported-platform": "supportedPlatforms",
  "import-name": "importNames",
  "import-namespace": "importNamespaces",
};

/**
 * Splits the header block of an e-mail-style document into `[name, value]`
 * pairs in order (continuation lines kept inside the value, as Python's
 * `email` parser with the compat32 policy does) and returns the body.
 *
 * @example
 * ```ts
 * splitHeaders("A: 1\n  2\nB: 3\n\nbody").headers; // [["A", "1\n  2"], ["B", "3"]]
 * ```
 */
export function splitHeaders(text: string): { headers: [string, string][]; body: string } {
  const lines = text.split(/(?<=\r\n|\n|\r(?!\n))/);
  const headers: [string, string][] = [];
  let index = 0;
  for (; index < lines.length; index++) {
    const line = lines[index] as string;
    if (/^(?:\r\n|\n|\r)$/.test(line)) {
      index++;
      break;
    }
    const last = headers[headers.length - 1];
    if (/^[ \t]/.test(line) && last !== undefined) {
      last[1] += line;
      continue;
    }
    const m = /^([\x21-\x39\x3b-\x7e]+):[ \t]*([\s\S]*)$/.exec(line);
    if (m === null) break;
    headers.push([m[1] as string, m[2] as string]);
  }
  for (const header of headers) header[1] = header[1].replace(/[\r\n]+$/, "");
  return { headers, body: lines.slice(index).join("") };
}

/**
 * Parses core metadata (versions 1.0 to 2.6) from its text form. Never throws:
 * what cannot be understood is kept in `unparsed`.
 *
 * @example
 * ```ts
 * const m = parseCoreMetadata([
 *   "Metadata-Version: 2.4",
 *   "Name: demo",
 *   "Version: 1.0",
 *   "Requires-Dist: requests>=2; extra == 'http'",
 *   "Provides-Extra: http",
 *   "",
 *   "Long description.",
 * ].join("\n"));
 * m.requiresDist; // ["requests>=2; extra == 'http'"]
 * m.description; // "Long description."
 * ```
 */
export function parseCoreMetadata(text: string): CoreMetadata {
  const { headers, body } = splitHeaders(text);
  const grouped = new Map<string, string[]>();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    const list = grouped.get(key);
    if (list === undefined) grouped.set(key, [value]);
    else list.push(value);
  }
  const result: CoreMetadata = { unparsed: {} };
  for (const [name, values] of grouped) {
    const stringField = STRING_FIELDS[name];
    const listField = LIST_FIELDS[name];
    if (stringField !== undefined && values.length === 1) {
      result[stringField] = values[0] as string;
    } else if (name === "import-name" && values.length === 1 && values[0] === "") {
      result.importNames = [];
    } else if (listField !== undefined) {
      result[listField] = values;
    } else if (name === "keywords" && values.length === 1) {
      result.keywords = (values[0] as string).split(",").map((k) => k.trim());
    } else if (name === "project-url") {
      const urls = projectUrls(values);
      if (urls === null) result.unparsed[name] = values;
      else result.projectUrls = urls;
    } else {
      result.unparsed[name] = values;
    }
  }
  if (body !== "") {
    if (result.description !== undefined) {
      result.unparsed["description"] = [result.description, body];
      delete result.description;
    } else if (result.unparsed["description"] !== undefined) {
      result.unparsed["description"].push(body);
    } else {
      result.description = body;
    }
  }
  return result;
}

function projectUrls(values: readonly string[]): Record<string, string> | null {
  const urls: Record<string, string> = {};
  for (const pair of values) {
    const comma = pair.indexOf(",");
    const label = (comma === -1 ? pair : pair.slice(0, comma)).trim();
    const url = comma === -1 ? "" : pair.slice(comma + 1).trim();
    if (Object.hasOwn(urls, label)) return null;
    urls[label] = url;
  }
  return urls;
}
