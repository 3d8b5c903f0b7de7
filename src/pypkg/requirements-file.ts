import { InvalidRequirement, InvalidRequirementsFile } from "./errors.js";
import { normalizeName } from "./name.js";
import { parseRequirement, type Requirement } from "./requirement.js";

/**
 * A `--hash=<algorithm>:<hex digest>` of a requirement line.
 *
 * @example
 * ```ts
 * const h: RequirementHash = { algorithm: "sha256", digest: "ab".repeat(32) };
 * ```
 */
export interface RequirementHash {
  algorithm: string;
  digest: string;
}

/**
 * One logical line of a requirements file (continuations joined). Comments
 * after content are kept in `comment` (without the `#`).
 *
 * @example
 * ```ts
 * const line: RequirementsFileLine = { kind: "option", name: "--require-hashes", value: null, comment: null };
 * ```
 */
export type RequirementsFileLine =
  | { kind: "blank" }
  | { kind: "comment"; text: string }
  | { kind: "option"; name: string; value: string | null; comment: string | null }
  | { kind: "include"; constraint: boolean; path: string; comment: string | null }
  | {
      kind: "requirement";
      /** The requirement as written (PEP 508 text, a path or a URL), trimmed. */
      text: string;
      /** Parsed PEP 508 requirement, or `null` for paths/URLs pip also accepts. */
      requirement: Requirement | null;
      editable: boolean;
      hashes: RequirementHash[];
      /** Other per-requirement options (`--config-settings`, `--global-option`), as written. */
      options: string[];
      comment: string | null;
    };

/**
 * A parsed requirements file: its lines in order and its line ending.
 *
 * @example
 * ```ts
 * const file: RequirementsFile = parseRequirementsFile("--require-hashes\nsix==1.16.0 --hash=sha256:" + "0".repeat(64) + "\n");
 * file.lines.length; // 2
 * ```
 */
export interface RequirementsFile {
  lines: RequirementsFileLine[];
  newline: "\n" | "\r\n";
  finalNewline: boolean;
}

/** Options pip accepts on their own line; `true` when the option takes a value. */
const FILE_OPTIONS: Readonly<Record<string, boolean>> = {
  "--index-url": true,
  "--extra-index-url": true,
  "--no-index": false,
  "--find-links": true,
  "--trusted-host": true,
  "--require-hashes": false,
  "--only-binary": true,
  "--no-binary": true,
  "--prefer-binary": false,
  "--pre": false,
  "--use-feature": true,
};
const SHORT: Readonly<Record<string, string>> = {
  "-i": "--index-url",
  "-f": "--find-links",
  "-r": "--requirement",
  "-c": "--constraint",
  "-e": "--editable",
};
const PER_REQUIREMENT = new Set(["--hash", "--config-settings", "--global-option"]);

function splitComment(line: string): { content: string; comment: string | null } {
  const m = /(^|[ \t]+)#(.*)$/.exec(line);
  if (m === null) return { content: line, comment: null };
  return { content: line.slice(0, m.index), comment: m[2] as string };
}

function joinContinuations(physical: string[]): { text: string; line: number }[] {
  const logical: { text: string; line: number }[] = [];
  let buffer: string | null = null;
  let start = 0;
  physical.forEach((line, index) => {
    if (buffer === null) start = index + 1;
    const isComment = /^[ \t]*#/.test(line);
    if (line.endsWith("\\") && !isComment) {
      buffer = (buffer ?? "") + line.slice(0, -1);
      return;
    }
    logical.push({ text: (buffer ?? "") + line, line: start });
    buffer = null;
  });
  if (buffer !== null) logical.push({ text: buffer, line: start });
  return logical;
}

/** Splits `--name=value` / `--name value` tokens (whitespace-separated, no quoting). */
function tokens(text: string): string[] {
  return text.split(/[ \t]+/).filter((t) => t !== "");
}

function optionLine(content: string, comment: string | null, lineNo: number): RequirementsFileLine {
  const [first = "", ...rest] = tokens(content);
  const eq = first.indexOf("=");
  const rawName = eq === -1 ? first : first.slice(0, eq);
  const name = SHORT[rawName] ?? rawName;
  const value = eq === -1 ? (rest.length > 0 ? rest.join(" ") : null) : [first.slice(eq + 1), ...rest].join(" ");
  const fail = (why: string): never => {
    throw new InvalidRequirementsFile(`line ${lineNo}: ${why}: ${content.trim()}`, content);
  };
  if (name === "--requirement" || name === "--constraint") {
    if (value === null) fail(`${name} needs a path`);
    return { kind: "include", constraint: name === "--constraint", path: value as string, comment };
  }
  if (name === "--editable") {
    if (value === null) fail("--editable needs a path or URL");
    return { kind: "requirement", text: value as string, requirement: null, editable: true, hashes: [], options: [], comment };
  }
  const takesValue = FILE_OPTIONS[name];
  if (takesValue === undefined) fail(`unknown option ${name}`);
  if (takesValue === true && value === null) fail(`${name} needs a value`);
  if (takesValue === false && value !== null) fail(`${name} takes no value`);
  return { kind: "option", name, value, comment };
}

function requirementLine(content: string, comment: string | null, lineNo: number): RequirementsFileLine {
  const m = /(?:^|[ \t])(--?[A-Za-z])/.exec(content);
  const text = (m === null ? content : content.slice(0, m.index)).trim();
  const optionText = m === null ? "" : content.slice(m.index);
  const hashes: RequirementHash[] = [];
  const options: string[] = [];
  const parts = tokens(optionText);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const eq = part.indexOf("=");
    const name = eq === -1 ? part : part.slice(0, eq);
    if (!PER_REQUIREMENT.has(name)) {
      throw new InvalidRequirementsFile(`line ${lineNo}: unknown requirement option ${name}`, content);
    }
    const value = eq === -1 ? parts[++i] : part.slice(eq + 1);
    if (value === undefined) throw new InvalidRequirementsFile(`line ${lineNo}: ${name} needs a value`, content);
    if (name === "--hash") {
      const colon = value.indexOf(":");
      if (colon <= 0) throw new InvalidRequirementsFile(`line ${lineNo}: bad hash ${value}`, content);
      hashes.push({ algorithm: value.slice(0, colon), digest: value.slice(colon + 1) });
    } else {
      options.push(`${name}=${value}`);
    }
  }
  let requirement: Requirement | null = null;
  try {
    requirement = parseRequirement(text);
  } catch (error) {
    if (!(error instanceof InvalidRequirement)) throw error;
    // pip also accepts paths and URLs here; anything else is an error.
    if (!/^(?:\.|\/|[A-Za-z][A-Za-z0-9+.-]*:)/.test(text)) {
      throw new InvalidRequirementsFile(`line ${lineNo}: ${error.message}`, content);
    }
  }
  return { kind: "requirement", text, requirement, editable: false, hashes, options, comment };
}

/**
 * Parses a pip requirements file: option lines (`--index-url`,
 * `--trusted-host`, `--require-hashes`, `--only-binary`, ...), `-r`/`-c`
 * includes (recorded, not followed: pypkg does no I/O), `-e` lines, comments,
 * `\` continuations, and requirement lines with `--hash=` options and
 * markers. Throws `InvalidRequirementsFile` naming the line.
 *
 * @example
 * ```ts
 * const file = parseRequirementsFile("--index-url https://example.org/simple\nsix==1.16.0 --hash=sha256:" + "a".repeat(64) + "\n");
 * pinnedRequirements(file)[0]?.version; // "1.16.0"
 * ```
 */
export function parseRequirementsFile(text: string): RequirementsFile {
  const newline = text.includes("\r\n") ? "\r\n" : "\n";
  const finalNewline = text.endsWith("\n");
  const body = finalNewline ? text.slice(0, -newline.length) : text;
  const physical = body === "" ? [] : body.split(/\r?\n/);
  const lines: RequirementsFileLine[] = [];
  for (const { text: logical, line } of joinContinuations(physical)) {
    if (logical.trim() === "") {
      lines.push({ kind: "blank" });
      continue;
    }
    if (/^[ \t]*#/.test(logical)) {
      lines.push({ kind: "comment", text: logical.replace(/^[ \t]*#/, "") });
      continue;
    }
    const { content, comment } = splitComment(logical);
    const trimmed = content.trim();
    lines.push(trimmed.startsWith("-") ? optionLine(trimmed, comment, line) : requirementLine(content, comment, line));
  }
  return { lines, newline, finalNewline };
}

/**
 * The `name==version` pins of a parsed file, with their hashes: the shape a
 * hash-pinned toolkit file has. Requirements that are not a single `==` pin
 * are left out.
 *
 * @example
 * ```ts
 * pinnedRequirements(parseRequirementsFile("argon2_cffi==23.1.0\n"))[0]?.normalizedName; // "argon2-cffi"
 * ```
 */
export function pinnedRequirements(
  file: RequirementsFile,
): { name: string; normalizedName: string; version: string; hashes: RequirementHash[] }[] {
  const pins: { name: string; normalizedName: string; version: string; hashes: RequirementHash[] }[] = [];
  for (const line of file.lines) {
    if (line.kind !== "requirement" || line.requirement === null) continue;
    const specs = line.requirement.specifier.specifiers;
    const only = specs[0];
    if (specs.length !== 1 || only === undefined || only.operator !== "==" || only.version.endsWith(".*")) continue;
    pins.push({
      name: line.requirement.name,
      normalizedName: normalizeName(line.requirement.name),
      version: only.version,
      hashes: line.hashes,
    });
  }
  return pins;
}
