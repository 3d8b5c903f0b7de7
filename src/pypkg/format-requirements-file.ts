import type { RequirementsFile, RequirementsFileLine } from "./requirements-file.js";

function withComment(text: string, comment: string | null): string {
  return comment === null ? text : text === "" ? `#${comment}` : `${text}  #${comment}`;
}

function formatLine(line: RequirementsFileLine): string {
  switch (line.kind) {
    case "blank":
      return "";
    case "comment":
      return `#${line.text}`;
    case "option":
      return withComment(line.value === null ? line.name : `${line.name} ${line.value}`, line.comment);
    case "include":
      return withComment(`${line.constraint ? "-c" : "-r"} ${line.path}`, line.comment);
    case "requirement": {
      const head = line.editable ? `-e ${line.text}` : line.text;
      const options = [...line.options, ...line.hashes.map((h) => `--hash=${h.algorithm}:${h.digest}`)];
      const text = options.length <= 1 ? [head, ...options].join(" ") : [head, ...options].join(" \\\n    ");
      return withComment(text, line.comment);
    }
  }
}

/**
 * Writes a requirements file deterministically: one entry per line, options
 * as `--name value`, requirements as written followed by their options and
 * `--hash=` values (several hashes go on `\`-continued lines indented by four
 * spaces, as pip-compile writes them), comments and blank lines kept.
 *
 * @example
 * ```ts
 * const text = "--require-hashes\nsix==1.16.0 --hash=sha256:" + "a".repeat(64) + "\n";
 * formatRequirementsFile(parseRequirementsFile(text)) === text; // true
 * ```
 */
export function formatRequirementsFile(file: RequirementsFile): string {
  const body = file.lines.map(formatLine).join(file.newline);
  return file.finalNewline && file.lines.length > 0 ? body + file.newline : body;
}
