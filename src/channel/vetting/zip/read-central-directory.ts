import { decodeEntryName } from './decode-name.js';
import { findZip64Extra } from './read-local-header.js';
import { RecordLength, Signature, ZipFlag, type CentralEntry } from './zip-format.js';

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;

/** Replaces 0xFFFF... placeholders with the ZIP64 extra field's values, in the order the format fixes. */
function applyZip64(entry: CentralEntry): void {
  const zip64 = findZip64Extra(entry.extra);
  if (zip64 === null) return;
  let at = 0;
  const next = (): number | null => {
    if (at + 8 > zip64.length) return null;
    const value = Number(zip64.readBigUInt64LE(at));
    at += 8;
    return value;
  };
  if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = next() ?? entry.uncompressedSize;
  if (entry.compressedSize === 0xffffffff) entry.compressedSize = next() ?? entry.compressedSize;
  if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next() ?? entry.localHeaderOffset;
}

/**
 * Walks the central directory from `offset` for at most `limit` bytes. Stops at the first record
 * that is not a central header and reports why in `issues`; entries read so far are kept.
 *
 * @example
 * ```ts
 * const { entries } = readCentralDirectory(buffer, end.centralDirectoryOffset, end.centralDirectorySize);
 * ```
 */
export function readCentralDirectory(buffer: Buffer, offset: number, limit: number): { entries: CentralEntry[]; issues: string[]; end: number } {
  const entries: CentralEntry[] = [];
  const issues: string[] = [];
  const stop = Math.min(buffer.length, offset + limit);
  let at = offset;
  while (at + 4 <= stop && buffer.readUInt32LE(at) === Signature.central) {
    if (at + RecordLength.central > stop) {
      issues.push(`central directory header at ${at} is truncated`);
      break;
    }
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    const nameStart = at + RecordLength.central;
    const recordEnd = nameStart + nameLength + extraLength + commentLength;
    if (recordEnd > stop) {
      issues.push(`central directory header at ${at} runs past the directory`);
      break;
    }
    const flags = buffer.readUInt16LE(at + 8);
    const nameBytes = buffer.subarray(nameStart, nameStart + nameLength);
    const decoded = decodeEntryName(nameBytes, (flags & ZipFlag.utf8) !== 0);
    const externalAttributes = buffer.readUInt32LE(at + 38);
    const mode = externalAttributes >>> 16;
    const entry: CentralEntry = {
      index: entries.length,
      offset: at,
      versionMadeBy: buffer.readUInt16LE(at + 4),
      versionNeeded: buffer.readUInt16LE(at + 6),
      flags,
      method: buffer.readUInt16LE(at + 10),
      modTime: buffer.readUInt16LE(at + 12),
      modDate: buffer.readUInt16LE(at + 14),
      crc32: buffer.readUInt32LE(at + 16),
      compressedSize: buffer.readUInt32LE(at + 20),
      uncompressedSize: buffer.readUInt32LE(at + 24),
      nameBytes,
      name: decoded.name,
      nameEncoding: decoded.encoding,
      nameInvalid: decoded.invalid,
      extra: buffer.subarray(nameStart + nameLength, nameStart + nameLength + extraLength),
      comment: buffer.subarray(nameStart + nameLength + extraLength, recordEnd),
      diskStart: buffer.readUInt16LE(at + 34),
      internalAttributes: buffer.readUInt16LE(at + 36),
      externalAttributes,
      localHeaderOffset: buffer.readUInt32LE(at + 42),
      // Only Unix-made archives are expected to carry a mode; zero means "none given".
      unixMode: mode === 0 ? null : mode,
      isDirectory: false,
      local: null,
      localError: null,
    };
    applyZip64(entry);
    entry.isDirectory = decoded.name.endsWith('/') || (entry.unixMode !== null && (entry.unixMode & S_IFMT) === S_IFDIR);
    entries.push(entry);
    at = recordEnd;
  }
  if (at < stop) issues.push(`unexpected bytes at ${at} inside the central directory`);
  return { entries, issues, end: at };
}
