import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Byte patterns that betray a copy of a private key in any unencrypted encoding: the raw private
 * scalar/exponent (present in PKCS#1, PKCS#8 and SEC1 DER and in every PEM once decoded) and the
 * base64 bodies of the PEM forms. An encrypted copy (e.g. a PKCS#12 file) is caught by `blobs`.
 */
export function keyFingerprints(keyPem: string): Buffer[] {
  const key: KeyObject = createPrivateKey(keyPem);
  const jwk = key.export({ format: 'jwk' });
  const secret = Buffer.from(jwk.d ?? '', 'base64url');
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  return [secret, Buffer.from(pkcs8.toString('base64').slice(0, 64))];
}

export interface KeyFileFinding {
  path: string;
  reason: string;
}

function walk(dir: string, visit: (path: string) => void, depth = 0): void {
  if (depth > 12) return;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    // tsx's transpile cache (tmpdir/tsx-<uid>) holds compiled copies of test sources, some of which
    // quote PEM headers (the vetting step that detects committed keys); Bulwark writes nothing there.
    if (entry === 'node_modules' || entry === '.git' || /^tsx-\d+$/.test(entry)) continue;
    const path = join(dir, entry);
    let stat;
    try {
      stat = statSync(path, { throwIfNoEntry: false });
    } catch {
      continue;
    }
    if (!stat) continue;
    if (stat.isDirectory()) walk(path, visit, depth + 1);
    else if (stat.isFile()) visit(path);
  }
}

/**
 * Files under `roots` changed since `since` (all files when `since` is null) that contain a PEM
 * private key header or one of `patterns`. Files over 8 MiB are skipped (no key bundle is that big).
 */
export function findKeyFiles(roots: string[], since: Date | null, patterns: Buffer[]): KeyFileFinding[] {
  const findings: KeyFileFinding[] = [];
  for (const root of roots) {
    walk(root, (path) => {
      let stat;
      try {
        stat = statSync(path);
      } catch {
        return;
      }
      if (stat.size > 8 * 1024 * 1024 || (since !== null && stat.mtimeMs < since.getTime() && stat.ctimeMs < since.getTime())) return;
      let content: Buffer;
      try {
        content = readFileSync(path);
      } catch {
        return;
      }
      if (content.includes('PRIVATE KEY-----')) findings.push({ path, reason: 'PEM private key' });
      else if (patterns.some((pattern) => pattern.length > 0 && content.includes(pattern))) findings.push({ path, reason: 'key material of a test key' });
    });
  }
  return findings;
}
