import { decodeEntryName } from './decode-name.js';
import { RecordLength, Signature, ZIP64_EXTRA_ID, ZipFlag, type CentralEntry, type DataDescriptor, type LocalHeader } from './zip-format.js';

/** Finds the ZIP64 extra field's payload inside an extra block, or null. */
export function findZip64Extra(extra: Buffer): Buffer | null {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const size = extra.readUInt16LE(at + 2);
    if (id === ZIP64_EXTRA_ID) return extra.subarray(at + 4, Math.min(at + 4 + size, extra.length));
    at += 4 + size;
  }
  return null;
}

function readDescriptor(buffer: Buffer, at: number, zip64: boolean): DataDescriptor | null {
  const signed = at + 4 <= buffer.length && buffer.readUInt32LE(at) === Signature.dataDescriptor;
  const start = signed ? at + 4 : at;
  const width = zip64 ? 8 : 4;
  const length = (signed ? 4 : 0) + 4 + 2 * width;
  if (at + length > buffer.length) return null;
  const size = (p: number) => (zip64 ? Number(buffer.readBigUInt64LE(p)) : buffer.readUInt32LE(p));
  return {
    offset: at,
    signed,
    length,
    crc32: buffer.readUInt32LE(start),
    compressedSize: size(start + 4),
    uncompressedSize: size(start + 4 + width),
  };
}

/**
 * Reads the local header an entry points at (and its data descriptor, when flagged). Returns an
 * error string instead of throwing so one bad entry does not hide the others.
 *
 * @example
 * ```ts
 * const { local, error } = readLocalHeader(buffer, entry);
 * ```
 */
export function readLocalHeader(buffer: Buffer, entry: Pick<CentralEntry, 'localHeaderOffset' | 'compressedSize'>): { local: LocalHeader | null; error: string | null } {
  const at = entry.localHeaderOffset;
  if (at + RecordLength.local > buffer.length) return { local: null, error: `local header offset ${at} is past the end of the file` };
  if (buffer.readUInt32LE(at) !== Signature.local) return { local: null, error: `no local header signature at offset ${at}` };
  const nameLength = buffer.readUInt16LE(at + 26);
  const extraLength = buffer.readUInt16LE(at + 28);
  const nameStart = at + RecordLength.local;
  const dataOffset = nameStart + nameLength + extraLength;
  if (dataOffset > buffer.length) return { local: null, error: `local header at ${at} runs past the end of the file` };
  const flags = buffer.readUInt16LE(at + 6);
  const nameBytes = buffer.subarray(nameStart, nameStart + nameLength);
  const extra = buffer.subarray(nameStart + nameLength, dataOffset);
  let compressedSize = buffer.readUInt32LE(at + 18);
  let uncompressedSize = buffer.readUInt32LE(at + 22);
  const zip64 = findZip64Extra(extra);
  if (zip64 !== null && zip64.length >= 16) {
    if (uncompressedSize === 0xffffffff) uncompressedSize = Number(zip64.readBigUInt64LE(0));
    if (compressedSize === 0xffffffff) compressedSize = Number(zip64.readBigUInt64LE(8));
  }
  const local: LocalHeader = {
    offset: at,
    versionNeeded: buffer.readUInt16LE(at + 4),
    flags,
    method: buffer.readUInt16LE(at + 8),
    modTime: buffer.readUInt16LE(at + 10),
    modDate: buffer.readUInt16LE(at + 12),
    crc32: buffer.readUInt32LE(at + 14),
    compressedSize,
    uncompressedSize,
    nameBytes,
    name: decodeEntryName(nameBytes, (flags & ZipFlag.utf8) !== 0).name,
    extra,
    dataOffset,
    dataDescriptor: null,
  };
  if ((flags & ZipFlag.dataDescriptor) !== 0) {
    // The descriptor follows the data; the central directory's size says where the data ends.
    local.dataDescriptor = readDescriptor(buffer, dataOffset + entry.compressedSize, zip64 !== null);
  }
  return { local, error: null };
}
