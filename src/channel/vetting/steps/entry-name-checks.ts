import { finding, type Finding } from '../finding.js';
import type { CentralEntry } from '../zip/index.js';

/**
 * Findings about one entry name: traversal, absolute paths, backslashes, control characters
 * and encodings that different unzip tools would decode differently.
 *
 * @example
 * ```ts
 * entryNameFindings(entry).map((f) => f.code); // e.g. ['ZIP_PATH_TRAVERSAL']
 * ```
 */
export function entryNameFindings(entry: CentralEntry): Finding[] {
  const name = entry.name;
  const evidence = { entry: name, index: entry.index };
  const out: Finding[] = [];
  if (name.split(/[/\\]/).some((segment) => segment === '..')) out.push(finding('ZIP_PATH_TRAVERSAL', `entry "${name}" climbs out of the install directory`, evidence));
  if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) out.push(finding('ZIP_ABSOLUTE_PATH', `entry "${name}" is an absolute path`, evidence));
  if (name.includes('\\')) out.push(finding('ZIP_BACKSLASH_NAME', `entry "${name}" contains a backslash`, evidence));
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
  if (/[\u0000-\u001f\u007f]/.test(name)) out.push(finding('ZIP_CONTROL_CHARACTER', `entry ${JSON.stringify(name)} contains a control character`, evidence));
  if (name === '' || name.split('/').slice(0, -1).some((s) => s === '' || s === '.')) {
    out.push(finding('ZIP_PATH_TRAVERSAL', `entry ${JSON.stringify(name)} has an empty or "." path segment`, evidence));
  }
  if (entry.nameInvalid) out.push(finding('ZIP_NAME_ENCODING', `entry name is flagged UTF-8 but is not valid UTF-8`, { ...evidence, bytes: entry.nameBytes.toString('hex') }));
  else if (entry.nameEncoding === 'cp437') {
    out.push(finding('ZIP_NAME_ENCODING', `entry "${name}" has non-ASCII bytes without the UTF-8 flag; unzip tools disagree on its name`, { ...evidence, bytes: entry.nameBytes.toString('hex') }));
  }
  return out;
}

/**
 * The key under which two names count as the same file on a case-insensitive, normalising
 * file system (macOS, Windows).
 *
 * @example
 * ```ts
 * foldedName('Pkg/\u00c4.py') === foldedName('pkg/a\u0308.py'); // true
 * ```
 */
export function foldedName(name: string): string {
  return name.normalize('NFC').toLowerCase();
}
