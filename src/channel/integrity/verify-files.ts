import { createHash } from 'node:crypto';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { ChannelCatalog } from '../catalog/channel-catalog.js';
import type { FileRecord } from '../catalog/file-record.js';

/** The outcome of re-hashing one file (and its metadata file). */
export interface VerificationResult {
  filename: string;
  status: 'ok' | 'corrupt' | 'missing';
  expected: string;
  actual: string | null;
}

async function hashBlob(store: ArtifactStore, sha256: string): Promise<string | null> {
  if (!(await store.stat(sha256))) return null;
  const hash = createHash('sha256');
  for await (const chunk of store.createReadStream(sha256)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function verifyOne(store: ArtifactStore, file: FileRecord): Promise<VerificationResult> {
  for (const expected of [file.sha256, file.metadataSha256]) {
    if (expected === null) continue;
    const actual = await hashBlob(store, expected);
    if (actual !== expected) return { filename: file.filename, status: actual === null ? 'missing' : 'corrupt', expected, actual };
  }
  return { filename: file.filename, status: 'ok', expected: file.sha256, actual: file.sha256 };
}

/**
 * Re-hashes stored files and records the result: a file whose bytes changed or vanished is
 * withheld from the index (and served again once it verifies). Never throws halfway; every file
 * gets a result.
 */
export async function verifyFiles(deps: { catalog: ChannelCatalog; store: ArtifactStore; now: () => string }, files: readonly FileRecord[]): Promise<VerificationResult[]> {
  const results: VerificationResult[] = [];
  for (const file of files) {
    let result: VerificationResult;
    try {
      result = await verifyOne(deps.store, file);
    } catch (error) {
      result = { filename: file.filename, status: 'corrupt', expected: file.sha256, actual: `unreadable: ${(error as Error).message}` };
    }
    await deps.catalog.recordVerification(file.id, result.status === 'ok', deps.now());
    results.push(result);
  }
  return results;
}
