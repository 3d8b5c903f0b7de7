import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { normalizeName, splitHeaders } from '../../pypkg/index.js';

/** A file whose bytes no longer match its RECORD line. */
export interface ModifiedFile {
  path: string;
  problem: 'changed' | 'missing';
}

/** One installed distribution (a `*.dist-info` directory) and the state of its recorded files. */
export interface InstalledDistribution {
  project: string;
  version: string;
  distInfo: string;
  /** Files listed with a hash in RECORD that were checked. */
  checked: number;
  modified: ModifiedFile[];
}

/** RECORD is CSV; paths with commas are quoted (the wheel spec allows it). */
function recordRows(text: string): [string, string, string][] {
  const rows: [string, string, string][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quoted && ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = !quoted;
      } else if (ch === ',' && !quoted) {
        fields.push(field);
        field = '';
      } else {
        field += ch;
      }
    }
    fields.push(field);
    rows.push([fields[0] ?? '', fields[1] ?? '', fields[2] ?? '']);
  }
  return rows;
}

async function checkRecord(site: string, distInfo: string): Promise<{ checked: number; modified: ModifiedFile[] }> {
  let text: string;
  try {
    text = await readFile(join(site, distInfo, 'RECORD'), 'utf8');
  } catch {
    return { checked: 0, modified: [{ path: `${distInfo}/RECORD`, problem: 'missing' }] };
  }
  const modified: ModifiedFile[] = [];
  let checked = 0;
  for (const [path, hash] of recordRows(text)) {
    const [algorithm, expected] = hash.split('=', 2);
    // RECORD lists itself (and pip's .pyc files) without a hash: nothing to compare.
    if (!algorithm || expected === undefined) continue;
    checked++;
    let bytes: Buffer;
    try {
      bytes = await readFile(resolve(site, path));
    } catch {
      modified.push({ path, problem: 'missing' });
      continue;
    }
    const actual = createHash(algorithm).update(bytes).digest('base64url');
    if (actual !== expected.replace(/=+$/, '')) modified.push({ path, problem: 'changed' });
  }
  return { checked, modified };
}

/**
 * Every distribution installed in the given site-packages directories, with each RECORD-listed
 * file re-hashed (pip itself never checks RECORD, so this is the only check it gets).
 *
 * @example
 * ```ts
 * for (const dist of await installedDistributions(['/venv/lib/python3.11/site-packages'])) dist.modified;
 * ```
 */
export async function installedDistributions(sitePackages: readonly string[]): Promise<InstalledDistribution[]> {
  const found: InstalledDistribution[] = [];
  for (const site of sitePackages) {
    let entries: string[];
    try {
      entries = await readdir(site);
    } catch {
      continue; // purelib and platlib may name a directory that was never created
    }
    for (const distInfo of entries.filter((e) => e.endsWith('.dist-info')).sort()) {
      let metadata: string;
      try {
        metadata = await readFile(join(site, distInfo, 'METADATA'), 'utf8');
      } catch {
        continue;
      }
      const headers = new Map(splitHeaders(metadata).headers.map(([k, v]) => [k.toLowerCase(), v.trim()]));
      const name = headers.get('name');
      const version = headers.get('version');
      if (!name || !version) continue;
      found.push({ project: normalizeName(name), version, distInfo: join(site, distInfo), ...(await checkRecord(site, distInfo)) });
    }
  }
  return found;
}
