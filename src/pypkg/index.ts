/**
 * `bulwark/pypkg`: the Python packaging standards (PEP 440, 503, 508, 425/427,
 * core metadata, requirements files, OSV matching), pure and synchronous.
 *
 * @example
 * ```ts
 * import { parseRequirement, evaluateMarker, targetEnvironment } from "bulwark/pypkg";
 * const req = parseRequirement('pywin32>=300; sys_platform == "win32"');
 * evaluateMarker(req.marker!, targetEnvironment("cp312-manylinux_x86_64").markers); // false
 * ```
 */
export * from "./canonicalize-version.js";
export * from "./compare-versions.js";
export * from "./core-metadata.js";
export * from "./errors.js";
export * from "./evaluate-marker.js";
export * from "./format-requirements-file.js";
export * from "./marker.js";
export * from "./name.js";
export * from "./osv-match.js";
export * from "./parse-version.js";
export * from "./prerelease-filter.js";
export * from "./requirement.js";
export * from "./requirements-file.js";
export * from "./sdist-filename.js";
export * from "./specifier-grammar.js";
export * from "./specifier-set.js";
export * from "./specifier.js";
export * from "./supported-tags.js";
export * from "./tag.js";
export * from "./target-environment.js";
export * from "./version.js";
export * from "./wheel-filename.js";
