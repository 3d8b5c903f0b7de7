import { RecordLength, Signature, ZipFormatError, type EndOfCentralDirectory } from './zip-format.js';

const MAX_COMMENT = 0xffff;

function readU64(buffer: Buffer, at: number): number {
  // Offsets beyond 2^53 cannot address a Buffer anyway; Number keeps the arithmetic simple.
  return Number(buffer.readBigUInt64LE(at));
}

/**
 * Finds and decodes the end-of-central-directory record (and the ZIP64 record it points to).
 * The record closest to the end of the file wins, as in Python's zipfile; how many candidates
 * were seen is reported so a checker can flag ambiguous archives.
 *
 * @example
 * ```ts
 * const end = readEndRecord(buffer);
 * end.end === buffer.length; // false means trailing data
 * ```
 */
export function readEndRecord(buffer: Buffer): EndOfCentralDirectory {
  if (buffer.length < RecordLength.end) throw new ZipFormatError(`file of ${buffer.length} bytes is too short to be a zip archive`);
  const lowest = Math.max(0, buffer.length - RecordLength.end - MAX_COMMENT);
  let offset = -1;
  let signatureCount = 0;
  for (let at = buffer.length - RecordLength.end; at >= lowest; at--) {
    if (buffer.readUInt32LE(at) !== Signature.end) continue;
    signatureCount++;
    if (offset === -1) offset = at;
  }
  if (offset === -1) throw new ZipFormatError('no end-of-central-directory record: not a zip archive or truncated');
  const commentLength = buffer.readUInt16LE(offset + 20);
  const commentEnd = offset + RecordLength.end + commentLength;
  const end: EndOfCentralDirectory = {
    offset,
    diskNumber: buffer.readUInt16LE(offset + 4),
    centralDirectoryDisk: buffer.readUInt16LE(offset + 6),
    entriesOnDisk: buffer.readUInt16LE(offset + 8),
    entriesTotal: buffer.readUInt16LE(offset + 10),
    centralDirectorySize: buffer.readUInt32LE(offset + 12),
    centralDirectoryOffset: buffer.readUInt32LE(offset + 16),
    comment: buffer.subarray(offset + RecordLength.end, Math.min(commentEnd, buffer.length)),
    end: commentEnd,
    signatureCount,
    zip64: null,
  };
  readZip64(buffer, end);
  return end;
}

function readZip64(buffer: Buffer, end: EndOfCentralDirectory): void {
  const locatorOffset = end.offset - RecordLength.zip64Locator;
  if (locatorOffset < 0 || buffer.readUInt32LE(locatorOffset) !== Signature.zip64Locator) return;
  const recordOffset = readU64(buffer, locatorOffset + 8);
  if (recordOffset + RecordLength.zip64End > buffer.length || buffer.readUInt32LE(recordOffset) !== Signature.zip64End) {
    throw new ZipFormatError(`ZIP64 locator points at ${recordOffset}, where there is no ZIP64 end record`);
  }
  end.zip64 = { locatorOffset, recordOffset };
  end.diskNumber = buffer.readUInt32LE(recordOffset + 16);
  end.centralDirectoryDisk = buffer.readUInt32LE(recordOffset + 20);
  end.entriesOnDisk = readU64(buffer, recordOffset + 24);
  end.entriesTotal = readU64(buffer, recordOffset + 32);
  end.centralDirectorySize = readU64(buffer, recordOffset + 40);
  end.centralDirectoryOffset = readU64(buffer, recordOffset + 48);
}
