import { createHash } from 'node:crypto';
import { parseWheelFilename, type WheelFilename } from '../../pypkg/index.js';
import { extractEntry, readZip, type CentralEntry, type ZipArchive } from './zip/index.js';

/** A file handed to the pipeline, with what the channel knows about it beyond its bytes. */
export interface VettingFile {
  filename: string;
  bytes: Buffer;
  /** When the file was published upstream (ingest), for `minimum_age_hours`; null when unknown. */
  publishedAt?: Date | null;
  /** The publisher marked the file as a channel rebuild of an upstream version (e.g. 2.3.3.post0 of 2.3.3). */
  rebuild?: boolean;
}

/** The file as steps see it: parsed once, entries decompressed on demand and cached. */
export interface WheelUnderTest {
  readonly filename: string;
  readonly bytes: Buffer;
  readonly sha256: string;
  readonly publishedAt: Date | null;
  readonly rebuild: boolean;
  /** The parsed file name, or null when it is not a valid wheel name. */
  readonly wheelName: WheelFilename | null;
  /** The parsed archive, or null when unreadable (see `archiveError`). */
  readonly archive: ZipArchive | null;
  readonly archiveError: string | null;
  /** The archive, or throws: for steps that cannot run without it (their result becomes 'error'). */
  requireArchive(): ZipArchive;
  /** Decompressed content of an entry (limits and CRC checked); throws ZipExtractError. */
  read(entry: CentralEntry): Buffer;
  /** The first non-directory entry with exactly this name, or undefined. */
  find(name: string): CentralEntry | undefined;
}

// Decompressed entries are kept so later steps do not inflate them again, up to this budget.
const CACHE_BUDGET = 256 * 1024 * 1024;

/**
 * Prepares a file for the pipeline. Never throws: an unreadable archive or file name is
 * recorded for the steps to report.
 *
 * @example
 * ```ts
 * const wheel = prepareWheel({ filename: 'demo-1.0-py3-none-any.whl', bytes }, { maxEntrySize: 1 << 30 });
 * ```
 */
export function prepareWheel(file: VettingFile, limits: { maxEntrySize: number }): WheelUnderTest {
  let wheelName: WheelFilename | null;
  try {
    wheelName = parseWheelFilename(file.filename);
  } catch {
    wheelName = null;
  }
  let archive: ZipArchive | null = null;
  let archiveError: string | null = null;
  try {
    archive = readZip(file.bytes);
  } catch (error) {
    archiveError = (error as Error).message;
  }
  const cache = new Map<number, Buffer>();
  let cached = 0;
  const byName = new Map<string, CentralEntry>();
  for (const entry of archive?.entries ?? []) if (!entry.isDirectory && !byName.has(entry.name)) byName.set(entry.name, entry);
  const requireArchive = (): ZipArchive => {
    if (archive === null) throw new Error(`archive unreadable: ${archiveError ?? 'unknown'}`);
    return archive;
  };
  return {
    filename: file.filename,
    bytes: file.bytes,
    sha256: createHash('sha256').update(file.bytes).digest('hex'),
    publishedAt: file.publishedAt ?? null,
    rebuild: file.rebuild ?? false,
    wheelName,
    archive,
    archiveError,
    requireArchive,
    read(entry) {
      const hit = cache.get(entry.index);
      if (hit !== undefined) return hit;
      const data = extractEntry(requireArchive(), entry, { maxSize: limits.maxEntrySize });
      if (cached + data.length <= CACHE_BUDGET) {
        cache.set(entry.index, data);
        cached += data.length;
      }
      return data;
    },
    find: (name) => byName.get(name),
  };
}
