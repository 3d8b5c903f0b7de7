import { createHash } from 'node:crypto';
import { finding, type Finding } from '../finding.js';
import type { VettingStep } from '../vetting-step.js';
import { distInfoDirectory } from '../wheel-layout.js';
import { parseRecordCsv } from './record-csv.js';

const STRONG_HASHES = new Set(['sha256', 'sha384', 'sha512']);

/** RECORD, RECORD.jws and RECORD.p7s cannot contain their own hash (binary distribution format). */
function mayLackHash(path: string, dir: string): boolean {
  return path === `${dir}/RECORD` || path === `${dir}/RECORD.jws` || path === `${dir}/RECORD.p7s`;
}

/**
 * RECORD: every file of the archive is listed exactly once with a sha256 (or stronger) hash and
 * a size that match its content; nothing listed is absent. Only RECORD and its signatures may
 * go without a hash.
 */
export const recordStep: VettingStep = {
  name: 'record',
  async run(wheel) {
    const archive = wheel.requireArchive();
    const dir = distInfoDirectory(wheel);
    const entry = dir === null ? undefined : wheel.find(`${dir}/RECORD`);
    if (dir === null || entry === undefined) return { findings: [finding('RECORD_MISSING', 'no .dist-info/RECORD', {})] };
    const { rows, errors } = parseRecordCsv(wheel.read(entry).toString('utf8'));
    const findings: Finding[] = errors.map((e) => finding('RECORD_MISSING', `RECORD line ${e.line}: ${e.message}`, { line: e.line }));
    const listed = new Map<string, (typeof rows)[number]>();
    for (const row of rows) {
      if (listed.has(row.path)) findings.push(finding('RECORD_DUPLICATE_ENTRY', `RECORD lists "${row.path}" twice`, { path: row.path, line: row.line }));
      else listed.set(row.path, row);
    }
    const members = archive.entries.filter((e) => !e.isDirectory);
    const present = new Set(members.map((e) => e.name));
    for (const member of members) {
      const row = listed.get(member.name);
      if (row === undefined) {
        findings.push(finding('RECORD_UNLISTED_FILE', `"${member.name}" is in the archive but not in RECORD`, { path: member.name }));
        continue;
      }
      if (row.hash === '') {
        if (!mayLackHash(member.name, dir)) findings.push(finding('RECORD_HASH_MISSING', `RECORD gives no hash for "${member.name}"`, { path: member.name }));
        continue;
      }
      const eq = row.hash.indexOf('=');
      const algorithm = row.hash.slice(0, eq).toLowerCase();
      if (eq <= 0 || !STRONG_HASHES.has(algorithm)) {
        findings.push(finding('RECORD_HASH_MISSING', `RECORD hash of "${member.name}" uses ${eq <= 0 ? 'no algorithm' : algorithm}, not sha256 or stronger`, { path: member.name, hash: row.hash }));
        continue;
      }
      const data = wheel.read(member);
      const actual = createHash(algorithm).update(data).digest('base64url');
      const expected = row.hash.slice(eq + 1).replace(/=+$/, '');
      if (actual !== expected) {
        findings.push(finding('RECORD_HASH_MISMATCH', `"${member.name}" has ${algorithm} ${actual}, RECORD says ${expected}`, { path: member.name, algorithm, expected, actual }));
      }
      if (row.size !== '' && Number(row.size) !== data.length) {
        findings.push(finding('RECORD_SIZE_MISMATCH', `"${member.name}" has ${data.length} bytes, RECORD says ${row.size}`, { path: member.name, expected: row.size, actual: data.length }));
      }
    }
    for (const path of listed.keys()) {
      if (!present.has(path)) findings.push(finding('RECORD_MISSING_FILE', `RECORD lists "${path}", which is not in the archive`, { path }));
    }
    return { findings };
  },
};
