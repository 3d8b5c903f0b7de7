import { finding, type Finding } from '../finding.js';
import type { VettingPolicy } from '../vetting-policy.js';
import type { VettingStep } from '../vetting-step.js';
import type { WheelUnderTest } from '../wheel-under-test.js';
import { ZipExtractError, ZipFlag, type CentralEntry, type ZipArchive } from '../zip/index.js';
import { entryNameFindings, foldedName } from './entry-name-checks.js';
import { headerFindings, layoutFindings } from './zip-layout-checks.js';

const S_IFMT = 0o170000;
const REGULAR_OR_DIR = new Set([0o100000, 0o040000]);

function structureFindings(archive: ZipArchive): Finding[] {
  const out = archive.issues.map((issue) => finding('ZIP_STRUCTURE', issue, {}));
  const { end, buffer } = archive;
  if (end.signatureCount > 1) out.push(finding('ZIP_STRUCTURE', `${end.signatureCount} end-of-central-directory signatures; readers may pick different ones`, { count: end.signatureCount }));
  if (end.end > buffer.length) out.push(finding('ZIP_STRUCTURE', 'the archive comment runs past the end of the file', { commentEnd: end.end, size: buffer.length }));
  if (end.end < buffer.length) out.push(finding('ZIP_TRAILING_DATA', `${buffer.length - end.end} bytes follow the end record`, { bytes: buffer.length - end.end, offset: end.end }));
  if (end.diskNumber !== 0 || end.centralDirectoryDisk !== 0 || end.entriesOnDisk !== end.entriesTotal) {
    out.push(finding('ZIP_STRUCTURE', 'multi-disk archives are not accepted', { disk: end.diskNumber }));
  }
  return out;
}

function entryFindings(entries: readonly CentralEntry[]): Finding[] {
  const out: Finding[] = [];
  const seen = new Map<string, string>();
  for (const entry of entries) {
    out.push(...entryNameFindings(entry));
    const key = foldedName(entry.name);
    const first = seen.get(key);
    if (first !== undefined) out.push(finding('ZIP_DUPLICATE_NAME', `"${entry.name}" duplicates "${first}"`, { entry: entry.name, first }));
    else seen.set(key, entry.name);
    if (entry.unixMode !== null && !REGULAR_OR_DIR.has(entry.unixMode & S_IFMT)) {
      const type = (entry.unixMode & S_IFMT) === 0o120000 ? 'a symbolic link' : `a special file (mode ${entry.unixMode.toString(8)})`;
      out.push(finding('ZIP_SYMLINK', `entry "${entry.name}" is ${type}`, { entry: entry.name, mode: entry.unixMode.toString(8) }));
    }
    if ((entry.flags & ZipFlag.encrypted) !== 0) out.push(finding('ZIP_ENCRYPTED', `entry "${entry.name}" is encrypted`, { entry: entry.name }));
    if (entry.method !== 0 && entry.method !== 8) out.push(finding('ZIP_UNSUPPORTED_METHOD', `entry "${entry.name}" uses compression method ${entry.method}`, { entry: entry.name, method: entry.method }));
  }
  return out;
}

function bombFindings(entries: readonly CentralEntry[], policy: VettingPolicy): Finding[] {
  const out: Finding[] = [];
  if (entries.length > policy.maxEntries) out.push(finding('ZIP_BOMB', `${entries.length} entries, more than the limit of ${policy.maxEntries}`, { entries: entries.length }));
  const total = entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
  if (total > policy.maxUncompressedSize) out.push(finding('ZIP_BOMB', `${total} bytes uncompressed, more than the limit of ${policy.maxUncompressedSize}`, { total }));
  for (const entry of entries) {
    const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
    if (entry.uncompressedSize > policy.compressionRatioFloor && ratio > policy.maxCompressionRatio) {
      out.push(finding('ZIP_BOMB', `entry "${entry.name}" expands ${Math.round(ratio)}\u00d7, more than ${policy.maxCompressionRatio}\u00d7`, {
        entry: entry.name, compressed: entry.compressedSize, uncompressed: entry.uncompressedSize,
      }));
    }
  }
  return out;
}

function contentFindings(wheel: WheelUnderTest, entries: readonly CentralEntry[]): Finding[] {
  const out: Finding[] = [];
  for (const entry of entries) {
    if (entry.isDirectory || (entry.flags & ZipFlag.encrypted) !== 0 || (entry.method !== 0 && entry.method !== 8)) continue;
    try {
      wheel.read(entry);
    } catch (error) {
      if (!(error instanceof ZipExtractError)) throw error;
      out.push(finding(error.reason === 'limit' ? 'ZIP_BOMB' : 'ZIP_CORRUPT_ENTRY', error.message, { entry: entry.name, reason: error.reason }));
    }
  }
  return out;
}

/**
 * Zip integrity: the raw structure an installer and this scanner both read must be one and the
 * same archive, with safe names, no links, no hidden bytes and sizes within policy. Every entry
 * is decompressed and its CRC checked, unless the declared sizes already exceed the limits.
 */
export const zipIntegrityStep: VettingStep = {
  name: 'zip-integrity',
  async run(wheel, context) {
    if (wheel.archive === null) return { findings: [finding('ZIP_UNREADABLE', wheel.archiveError ?? 'unreadable archive', {})] };
    const { entries } = wheel.archive;
    const bombs = bombFindings(entries, context.policy);
    const findings = [
      ...structureFindings(wheel.archive),
      ...entryFindings(entries),
      ...layoutFindings(wheel.archive),
      ...headerFindings(entries),
      ...bombs,
    ];
    // Inflating a declared bomb would be the attack itself; its declared sizes are evidence enough.
    if (bombs.length === 0) findings.push(...contentFindings(wheel, entries));
    return { findings };
  },
};
