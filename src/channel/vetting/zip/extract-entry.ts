import { crc32, inflateRawSync } from 'node:zlib';
import { ZipExtractError, ZipFlag, type CentralEntry, type ZipArchive } from './zip-format.js';

/** Limits applied while extracting one entry. */
export interface ExtractLimits {
  /** Refuse entries whose declared or actual uncompressed size exceeds this many bytes. */
  maxSize: number;
}

/**
 * Decompresses one entry with the sizes and CRC of the central directory, at the data offset
 * its local header gives (as installers do). Refuses to produce more bytes than declared or
 * than `maxSize`, so a lying header cannot turn into a zip bomb.
 *
 * @example
 * ```ts
 * const bytes = extractEntry(archive, archive.entries[0]!, { maxSize: 64 * 1024 * 1024 });
 * ```
 */
export function extractEntry(archive: ZipArchive, entry: CentralEntry, limits: ExtractLimits): Buffer {
  if ((entry.flags & ZipFlag.encrypted) !== 0) throw new ZipExtractError(`${entry.name}: encrypted entries are not supported`, 'encrypted');
  if (entry.local === null) throw new ZipExtractError(`${entry.name}: ${entry.localError ?? 'no local header'}`, 'bounds');
  if (entry.uncompressedSize > limits.maxSize) {
    throw new ZipExtractError(`${entry.name}: declares ${entry.uncompressedSize} bytes, more than the limit of ${limits.maxSize}`, 'limit');
  }
  const start = entry.local.dataOffset;
  const stop = start + entry.compressedSize;
  if (stop > archive.buffer.length) throw new ZipExtractError(`${entry.name}: data runs past the end of the file`, 'bounds');
  const raw = archive.buffer.subarray(start, stop);
  let data: Buffer;
  if (entry.method === 0) {
    data = raw;
  } else if (entry.method === 8) {
    try {
      // One byte of headroom makes "more than declared" observable instead of silently cut off.
      data = inflateRawSync(raw, { maxOutputLength: entry.uncompressedSize + 1 });
    } catch (error) {
      if (error instanceof RangeError) {
        throw new ZipExtractError(`${entry.name}: inflates to more than the declared ${entry.uncompressedSize} bytes`, 'size');
      }
      throw new ZipExtractError(`${entry.name}: ${(error as Error).message}`, 'inflate');
    }
  } else {
    throw new ZipExtractError(`${entry.name}: compression method ${entry.method} is not stored (0) or deflate (8)`, 'method');
  }
  if (data.length !== entry.uncompressedSize) {
    throw new ZipExtractError(`${entry.name}: ${data.length} bytes of data, the central directory declares ${entry.uncompressedSize}`, 'size');
  }
  const actual = crc32(data) >>> 0;
  if (actual !== entry.crc32) {
    throw new ZipExtractError(`${entry.name}: CRC-32 is ${actual.toString(16)}, the central directory declares ${entry.crc32.toString(16)}`, 'crc');
  }
  return data;
}
