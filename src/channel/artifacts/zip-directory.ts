import { crc32, inflateRawSync } from 'node:zlib';
import type { RandomAccess } from './artifact-store.js';

/** One entry of a zip's central directory. */
export interface ZipEntry {
  name: string;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

/** A structural problem with an archive; the message says what, for the uploader. */
export class ZipFormatError extends Error {}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;

function fail(reason: string): never {
  throw new ZipFormatError(reason);
}

async function findEndRecord(file: RandomAccess): Promise<{ position: number; record: Buffer }> {
  const tailLength = Math.min(file.size, 22 + MAX_COMMENT);
  const tail = await file.read(file.size - tailLength, tailLength);
  for (let i = tail.length - 22; i >= 0; i -= 1) {
    if (tail.readUInt32LE(i) !== EOCD) continue;
    const commentLength = tail.readUInt16LE(i + 20);
    // Bytes after the end record are how truncated or appended-to archives look; refuse both.
    if (i + 22 + commentLength !== tail.length) fail('data after the end of the central directory');
    return { position: file.size - tailLength + i, record: tail.subarray(i, i + 22) };
  }
  return fail('no end of central directory record (truncated or not a zip file)');
}

async function zip64Directory(file: RandomAccess, eocdPosition: number): Promise<{ count: number; size: number; offset: number }> {
  if (eocdPosition < 20) fail('missing ZIP64 locator');
  const locator = await file.read(eocdPosition - 20, 20);
  if (locator.readUInt32LE(0) !== ZIP64_LOCATOR) fail('missing ZIP64 locator');
  const recordOffset = Number(locator.readBigUInt64LE(8));
  const record = await file.read(recordOffset, 56);
  if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD) fail('bad ZIP64 end record');
  return { count: Number(record.readBigUInt64LE(32)), size: Number(record.readBigUInt64LE(40)), offset: Number(record.readBigUInt64LE(48)) };
}

function applyZip64Extra(entry: ZipEntry, extra: Buffer): void {
  for (let i = 0; i + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(i);
    const length = extra.readUInt16LE(i + 2);
    if (id === 0x0001) {
      let at = i + 4;
      const next = () => {
        if (at + 8 > i + 4 + length) fail('short ZIP64 extra field');
        const value = Number(extra.readBigUInt64LE(at));
        at += 8;
        return value;
      };
      if (entry.size === 0xffffffff) entry.size = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next();
    }
    i += 4 + length;
  }
}

/** Reads the central directory: every entry's name, sizes and where its data starts. */
export async function readZipDirectory(file: RandomAccess): Promise<ZipEntry[]> {
  if (file.size < 22) fail('file too short to be a zip archive');
  const { position, record } = await findEndRecord(file);
  let count = record.readUInt16LE(10);
  let size = record.readUInt32LE(12);
  let offset = record.readUInt32LE(16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) ({ count, size, offset } = await zip64Directory(file, position));
  if (offset + size > position) fail('central directory extends past its end record (truncated archive)');
  const directory = await file.read(offset, size);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let n = 0; n < count; n += 1) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL) fail('damaged central directory');
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const entry: ZipEntry = {
      name: directory.toString('utf8', at + 46, at + 46 + nameLength),
      method: directory.readUInt16LE(at + 10),
      crc32: directory.readUInt32LE(at + 16),
      compressedSize: directory.readUInt32LE(at + 20),
      size: directory.readUInt32LE(at + 24),
      localHeaderOffset: directory.readUInt32LE(at + 42),
    };
    applyZip64Extra(entry, directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength));
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  if (at !== directory.length) fail('central directory size disagrees with its entries');
  return entries;
}

/** Reads and decompresses one entry, checking its local header, size and CRC-32. */
export async function readZipEntry(file: RandomAccess, entry: ZipEntry, maxSize: number): Promise<Buffer> {
  if (entry.size > maxSize) fail(`${entry.name} is larger than ${maxSize} bytes`);
  const header = await file.read(entry.localHeaderOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL) fail(`no local header for ${entry.name}`);
  const nameLength = header.readUInt16LE(26);
  const extraLength = header.readUInt16LE(28);
  const localName = (await file.read(entry.localHeaderOffset + 30, nameLength)).toString('utf8');
  if (localName !== entry.name) fail(`local header of ${entry.name} names ${localName}`);
  const dataStart = entry.localHeaderOffset + 30 + nameLength + extraLength;
  const compressed = await file.read(dataStart, entry.compressedSize);
  if (compressed.length !== entry.compressedSize) fail(`${entry.name} is cut short`);
  let data: Buffer;
  if (entry.method === 0) data = compressed;
  else if (entry.method === 8) {
    try {
      data = inflateRawSync(compressed, { maxOutputLength: Math.max(entry.size, 1) });
    } catch (error) {
      return fail(`${entry.name} does not inflate: ${(error as Error).message}`);
    }
  } else return fail(`${entry.name} uses unsupported compression method ${entry.method}`);
  if (data.length !== entry.size) fail(`${entry.name} has ${data.length} bytes, its directory entry says ${entry.size}`);
  if (crc32(data) >>> 0 !== entry.crc32) fail(`${entry.name} fails its CRC-32 check`);
  return data;
}
