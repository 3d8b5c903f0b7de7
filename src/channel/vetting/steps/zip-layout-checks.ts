import { finding, type Finding } from '../finding.js';
import { ZipFlag, type CentralEntry, type ZipArchive } from '../zip/index.js';

/**
 * Every byte before the central directory must belong to exactly one listed entry: local
 * headers start at 0, follow each other without gaps and never overlap. Anything else is
 * space where content can hide from one unzip tool and not another.
 *
 * @example
 * ```ts
 * layoutFindings(archive).length; // 0 for a clean archive
 * ```
 */
export function layoutFindings(archive: ZipArchive): Finding[] {
  const out: Finding[] = [];
  const spans = archive.entries
    .filter((e) => e.local !== null)
    .map((e) => {
      const local = e.local as NonNullable<CentralEntry['local']>;
      return { name: e.name, start: e.localHeaderOffset, end: local.dataOffset + e.compressedSize + (local.dataDescriptor?.length ?? 0) };
    })
    .sort((a, b) => a.start - b.start);
  let cursor = 0;
  for (const span of spans) {
    if (span.start > cursor) out.push(finding('ZIP_HIDDEN_DATA', `${span.start - cursor} unlisted bytes before "${span.name}"`, { offset: cursor, bytes: span.start - cursor }));
    if (span.start < cursor) out.push(finding('ZIP_HIDDEN_DATA', `entry "${span.name}" overlaps the entry before it`, { entry: span.name, offset: span.start }));
    cursor = Math.max(cursor, span.end);
  }
  const cdOffset = archive.end.centralDirectoryOffset;
  if (cdOffset > cursor) out.push(finding('ZIP_HIDDEN_DATA', `${cdOffset - cursor} unlisted bytes before the central directory`, { offset: cursor, bytes: cdOffset - cursor }));
  if (cdOffset < cursor) out.push(finding('ZIP_HIDDEN_DATA', 'entry data runs into the central directory', { offset: cdOffset }));
  return out;
}

/**
 * The local header of every entry must say what the central directory says: same name bytes,
 * method, flags, CRC and sizes (or, with a data descriptor, the descriptor must; the local header may then carry zeros).
 *
 * @example
 * ```ts
 * headerFindings(archive.entries);
 * ```
 */
export function headerFindings(entries: readonly CentralEntry[]): Finding[] {
  const out: Finding[] = [];
  for (const entry of entries) {
    const local = entry.local;
    if (local === null) {
      out.push(finding('ZIP_HEADER_MISMATCH', `entry "${entry.name}": ${entry.localError ?? 'no local header'}`, { entry: entry.name }));
      continue;
    }
    const differ = (field: string, central: string | number, localValue: string | number) =>
      out.push(finding('ZIP_HEADER_MISMATCH', `entry "${entry.name}": ${field} is ${String(localValue)} in the local header, ${String(central)} in the central directory`, {
        entry: entry.name, field, central: String(central), local: String(localValue),
      }));
    if (!local.nameBytes.equals(entry.nameBytes)) differ('name', entry.name, local.name);
    if (local.method !== entry.method) differ('method', entry.method, local.method);
    if (local.flags !== entry.flags) differ('flags', entry.flags, local.flags);
    const described = (local.flags & ZipFlag.dataDescriptor) !== 0 ? local.dataDescriptor : local;
    if (described === null) {
      differ('data descriptor', 'present', 'missing');
      continue;
    }
    if (described.crc32 !== entry.crc32) differ('crc32', entry.crc32.toString(16), described.crc32.toString(16));
    if (described.compressedSize !== entry.compressedSize) differ('compressed size', entry.compressedSize, described.compressedSize);
    if (described.uncompressedSize !== entry.uncompressedSize) differ('uncompressed size', entry.uncompressedSize, described.uncompressedSize);
  }
  return out;
}
