// Builds wheels in memory for vetting tests and benchmarks: valid by default, with knobs for
// every malformation and attack class the vetting steps must catch.
import { createHash } from 'node:crypto';
import { writeZip, type ZipWriterEntry, type ZipWriterOptions } from '../../src/channel/vetting/zip/index.js';

export interface WheelSpec {
  name?: string;
  version?: string;
  tag?: string;
  /** Package files besides the .dist-info (path → content). Default: one module. */
  files?: Record<string, string | Buffer>;
  /** METADATA header lines added after Name/Version; default `License-Expression: MIT`. */
  metadataLines?: string[];
  /** Replaces the Name in METADATA (filename ↔ metadata mismatch). */
  metadataName?: string;
  /** Paths left out of RECORD. */
  unlisted?: string[];
  /** Extra RECORD lines appended verbatim. */
  extraRecordLines?: string[];
  /** Replace the hash RECORD gives for a path. */
  recordHash?: Record<string, string>;
  /** Entries added after RECORD was written (so unlisted), with any raw zip overrides. */
  extraEntries?: ZipWriterEntry[];
  /** Last word on the entry list, e.g. to duplicate or alter an entry. */
  mutate?: (entries: ZipWriterEntry[]) => ZipWriterEntry[];
  zip?: ZipWriterOptions;
}

export interface CraftedWheel {
  filename: string;
  bytes: Buffer;
}

function recordHash(data: Buffer): string {
  return `sha256=${createHash('sha256').update(data).digest('base64url')}`;
}

/**
 * A wheel named `<name>-<version>-<tag>.whl` with METADATA, WHEEL and a correct RECORD, unless
 * the spec asks for something broken.
 */
export function buildWheel(spec: WheelSpec = {}): CraftedWheel {
  const name = spec.name ?? 'demo-pkg';
  const version = spec.version ?? '1.0';
  const tag = spec.tag ?? 'py3-none-any';
  const escaped = name.replace(/[-_.]+/g, '_');
  const distInfo = `${escaped}-${version}.dist-info`;
  const files: [string, Buffer][] = Object.entries(spec.files ?? { [`${escaped}/__init__.py`]: 'VALUE = 1\n' }).map(([p, c]) => [p, Buffer.from(c)]);
  const metadata = [
    'Metadata-Version: 2.4',
    `Name: ${spec.metadataName ?? name}`,
    `Version: ${version}`,
    ...(spec.metadataLines ?? ['License-Expression: MIT']),
    '',
    'A crafted test wheel.',
    '',
  ].join('\n');
  files.push([`${distInfo}/METADATA`, Buffer.from(metadata)]);
  files.push([`${distInfo}/WHEEL`, Buffer.from(`Wheel-Version: 1.0\nGenerator: bulwark-tests\nRoot-Is-Purelib: true\nTag: ${tag}\n`)]);
  const unlisted = new Set(spec.unlisted ?? []);
  const lines = files
    .filter(([p]) => !unlisted.has(p))
    .map(([p, data]) => `${p},${spec.recordHash?.[p] ?? recordHash(data)},${data.length}`);
  lines.push(...(spec.extraRecordLines ?? []), `${distInfo}/RECORD,,`);
  files.push([`${distInfo}/RECORD`, Buffer.from(`${lines.join('\n')}\n`)]);
  let entries: ZipWriterEntry[] = [...files.map(([p, data]) => ({ name: p, data })), ...(spec.extraEntries ?? [])];
  if (spec.mutate !== undefined) entries = spec.mutate(entries);
  return { filename: `${escaped}-${version}-${tag}.whl`, bytes: writeZip(entries, spec.zip ?? {}) };
}

/** An RSA private key block: the armour is what detection keys on; the body is filler. */
export const FAKE_RSA_KEY = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB', '-----END RSA PRIVATE KEY-----'].join('\n');
