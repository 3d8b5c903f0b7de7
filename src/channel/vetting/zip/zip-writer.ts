import { crc32, deflateRawSync } from 'node:zlib';
import { RecordLength, Signature, ZipFlag } from './zip-format.js';

/** Header fields a test may force to wrong values, to craft malformed archives. */
export interface ZipHeaderOverrides {
  name?: string | Buffer;
  crc32?: number;
  compressedSize?: number;
  uncompressedSize?: number;
  method?: number;
  flags?: number;
}

/** One member to write. Only `name` and `data` are needed for a well-formed archive. */
export interface ZipWriterEntry {
  name: string | Buffer;
  data: Buffer | string;
  /** 8 (deflate, the default) or 0 (stored). */
  method?: 0 | 8;
  /** Unix st_mode put in the external attributes, e.g. 0o100644; 0o120777 makes a symlink. */
  mode?: number;
  /** Bytes to store as the entry's data instead of compressing `data` (sizes still describe `data`). */
  rawData?: Buffer;
  local?: ZipHeaderOverrides;
  central?: ZipHeaderOverrides;
  /** Write the local header and data but leave the entry out of the central directory. */
  omitFromCentral?: boolean;
}

/** Whole-archive options, mostly for crafting malformed archives. */
export interface ZipWriterOptions {
  prefix?: Buffer;
  trailing?: Buffer;
  comment?: Buffer;
}

// 1980-01-01 00:00, the DOS epoch: archives are byte-for-byte reproducible.
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

function asBuffer(value: string | Buffer): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

interface Prepared {
  entry: ZipWriterEntry;
  name: Buffer;
  flags: number;
  crc: number;
  size: number;
  stored: Buffer;
  method: number;
  offset: number;
}

function prepare(entry: ZipWriterEntry): Omit<Prepared, 'offset'> {
  const data = asBuffer(entry.data);
  const method = entry.method ?? 8;
  const name = asBuffer(entry.name);
  const nonAscii = name.some((b) => b >= 0x80);
  return {
    entry,
    name,
    flags: nonAscii ? ZipFlag.utf8 : 0,
    crc: crc32(data) >>> 0,
    size: data.length,
    stored: entry.rawData ?? (method === 8 ? deflateRawSync(data) : data),
    method,
  };
}

function localHeader(p: Prepared): Buffer {
  const o = p.entry.local ?? {};
  const name = o.name === undefined ? p.name : asBuffer(o.name);
  const header = Buffer.alloc(RecordLength.local);
  header.writeUInt32LE(Signature.local, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(o.flags ?? p.flags, 6);
  header.writeUInt16LE(o.method ?? p.method, 8);
  header.writeUInt16LE(0, 10);
  header.writeUInt16LE(DOS_DATE, 12);
  header.writeUInt32LE(o.crc32 ?? p.crc, 14);
  header.writeUInt32LE(o.compressedSize ?? p.stored.length, 18);
  header.writeUInt32LE(o.uncompressedSize ?? p.size, 22);
  header.writeUInt16LE(name.length, 26);
  header.writeUInt16LE(0, 28);
  return Buffer.concat([header, name]);
}

function centralHeader(p: Prepared): Buffer {
  const o = p.entry.central ?? {};
  const name = o.name === undefined ? p.name : asBuffer(o.name);
  const header = Buffer.alloc(RecordLength.central);
  const mode = p.entry.mode ?? (name.at(-1) === 0x2f ? 0o040755 : 0o100644);
  header.writeUInt32LE(Signature.central, 0);
  header.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the mode below is meaningful
  header.writeUInt16LE(20, 6);
  header.writeUInt16LE(o.flags ?? p.flags, 8);
  header.writeUInt16LE(o.method ?? p.method, 10);
  header.writeUInt16LE(0, 12);
  header.writeUInt16LE(DOS_DATE, 14);
  header.writeUInt32LE(o.crc32 ?? p.crc, 16);
  header.writeUInt32LE(o.compressedSize ?? p.stored.length, 20);
  header.writeUInt32LE(o.uncompressedSize ?? p.size, 24);
  header.writeUInt16LE(name.length, 28);
  header.writeUInt32LE((mode << 16) >>> 0, 38);
  header.writeUInt32LE(p.offset, 42);
  return Buffer.concat([header, name]);
}

/**
 * Writes a zip archive in memory. With no overrides the result is a plain, valid archive (no
 * data descriptors, no ZIP64); the overrides exist so tests can build every malformation the
 * vetting steps must catch.
 *
 * @example
 * ```ts
 * const zip = writeZip([{ name: 'a.txt', data: 'hello' }], { trailing: Buffer.from('junk') });
 * ```
 */
export function writeZip(entries: readonly ZipWriterEntry[], options: ZipWriterOptions = {}): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  const push = (b: Buffer) => {
    parts.push(b);
    offset += b.length;
  };
  if (options.prefix !== undefined) push(options.prefix);
  const prepared: Prepared[] = [];
  for (const entry of entries) {
    const p: Prepared = { ...prepare(entry), offset };
    push(localHeader(p));
    push(p.stored);
    prepared.push(p);
  }
  const cdOffset = offset;
  const listed = prepared.filter((p) => p.entry.omitFromCentral !== true);
  for (const p of listed) push(centralHeader(p));
  const comment = options.comment ?? Buffer.alloc(0);
  const end = Buffer.alloc(RecordLength.end);
  end.writeUInt32LE(Signature.end, 0);
  end.writeUInt16LE(listed.length, 8);
  end.writeUInt16LE(listed.length, 10);
  end.writeUInt32LE(offset - cdOffset, 12);
  end.writeUInt32LE(cdOffset, 16);
  end.writeUInt16LE(comment.length, 20);
  push(end);
  push(comment);
  if (options.trailing !== undefined) push(options.trailing);
  return Buffer.concat(parts);
}
