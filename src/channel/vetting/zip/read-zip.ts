import { readFile } from 'node:fs/promises';
import { readCentralDirectory } from './read-central-directory.js';
import { readEndRecord } from './read-end-record.js';
import { readLocalHeader } from './read-local-header.js';
import { ZipFormatError, type ZipArchive } from './zip-format.js';

/**
 * Parses an archive's raw structure from memory: end record, every central-directory entry and
 * the local header each one points to. Problems that still leave the rest readable go to
 * `issues` (and `localError` per entry); only an archive with no usable end record or central
 * directory throws `ZipFormatError`. Nothing is decompressed here.
 *
 * @example
 * ```ts
 * const archive = readZip(await readFile('demo-1.0-py3-none-any.whl'));
 * archive.entries.map((e) => e.name);
 * ```
 */
export function readZip(buffer: Buffer): ZipArchive {
  const end = readEndRecord(buffer);
  const { centralDirectoryOffset: cdOffset, centralDirectorySize: cdSize } = end;
  const cdLimit = end.zip64?.recordOffset ?? end.offset;
  if (cdOffset > cdLimit || cdOffset + cdSize > cdLimit) {
    throw new ZipFormatError(`central directory (offset ${cdOffset}, size ${cdSize}) lies outside the archive before its end record at ${cdLimit}`);
  }
  const { entries, issues, end: cdEnd } = readCentralDirectory(buffer, cdOffset, cdSize);
  if (cdEnd !== cdOffset + cdSize) issues.push(`central directory ends at ${cdEnd}, the end record says ${cdOffset + cdSize}`);
  if (entries.length !== end.entriesTotal) issues.push(`end record counts ${end.entriesTotal} entries, the central directory has ${entries.length}`);
  for (const entry of entries) {
    const { local, error } = readLocalHeader(buffer, entry);
    entry.local = local;
    entry.localError = error;
  }
  return { buffer, end, entries, issues };
}

/**
 * Reads a file and parses it with {@link readZip}.
 *
 * @example
 * ```ts
 * const archive = await readZipFile('/usr/share/python-wheels/pip-23.0.1-py3-none-any.whl');
 * ```
 */
export async function readZipFile(path: string): Promise<ZipArchive> {
  return readZip(await readFile(path));
}
