import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { extractEntry, readZip } from '../vetting/zip/index.js';

/** The layouts `advisories import` understands. */
export type AdvisorySourceFormat = 'osv-zip' | 'osv-directory' | 'pypa-yaml' | 'osv-file';

/** One document read from a source: parsed, or the reason it could not be. */
export type SourceDocument = { origin: string; raw: unknown } | { origin: string; error: string };

// A single OSV record is a few hundred KiB at most (setuptools' lists 514 versions); far larger is not a record.
const MAX_RECORD_BYTES = 32 * 1024 * 1024;

function parseDocument(origin: string, text: string): SourceDocument {
  try {
    // YAML's failsafe schema keeps every scalar a string, so "1.10" can never turn into 1.1.
    const raw: unknown = /\.ya?ml$/i.test(origin) ? parseYaml(text, { schema: 'failsafe' }) : JSON.parse(text);
    return { origin, raw };
  } catch (error) {
    return { origin, error: `cannot parse: ${(error as Error).message.split('\n')[0] ?? ''}` };
  }
}

async function* walk(dir: string): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue; // .git, .id-allocator
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile() && /\.(json|ya?ml)$/i.test(entry.name)) yield full;
  }
}

function* readZipSource(buffer: Buffer): Generator<SourceDocument> {
  const archive = readZip(buffer);
  for (const entry of archive.entries) {
    if (entry.isDirectory || !entry.name.toLowerCase().endsWith('.json')) continue;
    try {
      yield parseDocument(entry.name, extractEntry(archive, entry, { maxSize: MAX_RECORD_BYTES }).toString('utf8'));
    } catch (error) {
      yield { origin: entry.name, error: (error as Error).message };
    }
  }
}

/**
 * Finds out what `path` is: osv.dev's bulk zip (`PyPI/all.zip`), a directory of OSV JSON files
 * (ossf/malicious-packages `osv/...`), the pypa/advisory-database YAML layout
 * (`vulns/<name>/PYSEC-*.yaml`), or a single record file.
 *
 * @example
 * ```ts
 * await detectAdvisorySource('/srv/osv/all.zip'); // 'osv-zip'
 * ```
 */
export async function detectAdvisorySource(path: string): Promise<AdvisorySourceFormat> {
  const info = await stat(path);
  if (info.isFile()) return extname(path).toLowerCase() === '.zip' ? 'osv-zip' : 'osv-file';
  for await (const file of walk(path)) if (/\.ya?ml$/i.test(file)) return 'pypa-yaml';
  return 'osv-directory';
}

/**
 * Reads every record document of a source, one at a time; unreadable documents come back with
 * an error instead of stopping the import.
 *
 * @example
 * ```ts
 * for await (const doc of readAdvisorySource('fixtures/osv')) if ('raw' in doc) console.log(doc.origin);
 * ```
 */
export async function* readAdvisorySource(path: string): AsyncGenerator<SourceDocument> {
  const info = await stat(path);
  if (info.isFile()) {
    const buffer = await readFile(path);
    if (extname(path).toLowerCase() === '.zip') yield* readZipSource(buffer);
    else yield parseDocument(path, buffer.toString('utf8'));
    return;
  }
  for await (const file of walk(path)) {
    const size = (await stat(file)).size;
    const origin = relative(path, file);
    if (size > MAX_RECORD_BYTES) yield { origin, error: `${size} bytes is too large for one record` };
    else yield parseDocument(origin, await readFile(file, 'utf8'));
  }
}
