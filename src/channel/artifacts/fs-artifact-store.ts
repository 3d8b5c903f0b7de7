import { randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync } from 'node:fs';
import { open, readdir, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { SHA256_HEX, type ArtifactStore, type BlobDigests, type ByteRange, type RandomAccess, type StagedBlob } from './artifact-store.js';
import { DigestingHasher } from './digesting-hasher.js';

function assertDigest(sha256: string): void {
  // The digest becomes a path; anything but 64 hex digits could climb out of the store.
  if (!SHA256_HEX.test(sha256)) throw new Error(`not a sha256 digest: ${sha256}`);
}

async function fileAccess(path: string): Promise<RandomAccess> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    size,
    async read(position, length) {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead);
    },
    close: () => handle.close(),
  };
}

/**
 * Blobs under `<dir>/blobs/<aa>/<sha256>`, written first to `<dir>/staging/` (same filesystem, so
 * the final rename is atomic) and fsynced before they are renamed into place.
 */
export class FsArtifactStore implements ArtifactStore {
  private readonly blobs: string;
  private readonly staging: string;

  constructor(dir: string) {
    this.blobs = join(dir, 'blobs');
    this.staging = join(dir, 'staging');
    mkdirSync(this.blobs, { recursive: true, mode: 0o750 });
    mkdirSync(this.staging, { recursive: true, mode: 0o700 });
  }

  pathOf(sha256: string): string {
    assertDigest(sha256);
    return join(this.blobs, sha256.slice(0, 2), sha256);
  }

  async stage(): Promise<StagedBlob> {
    const tempPath = join(this.staging, `${randomBytes(12).toString('hex')}.part`);
    const handle: FileHandle = await open(tempPath, 'wx', 0o640);
    const hasher = new DigestingHasher();
    let digests: BlobDigests | undefined;
    let settled = false;
    const targetOf = (sha256: string) => this.pathOf(sha256);
    return {
      async write(chunk) {
        if (digests) throw new Error('staged blob already finished');
        hasher.update(chunk);
        await handle.write(chunk);
      },
      async finish() {
        if (!digests) {
          await handle.sync();
          await handle.close();
          digests = hasher.digest();
        }
        return digests;
      },
      async open() {
        if (!digests) throw new Error('finish the staged blob before reading it');
        return fileAccess(tempPath);
      },
      async commit() {
        if (!digests) throw new Error('finish the staged blob before committing it');
        if (settled) return;
        const target = targetOf(digests.sha256);
        mkdirSync(join(target, '..'), { recursive: true, mode: 0o750 });
        await rename(tempPath, target);
        settled = true;
      },
      async discard() {
        if (settled) return;
        settled = true;
        if (!digests) await handle.close().catch(() => undefined);
        await rm(tempPath, { force: true });
      },
    };
  }

  async stat(sha256: string): Promise<{ size: number } | undefined> {
    try {
      const info = await stat(this.pathOf(sha256));
      return { size: info.size };
    } catch {
      return undefined;
    }
  }

  createReadStream(sha256: string, range?: ByteRange): Readable {
    return createReadStream(this.pathOf(sha256), range ? { start: range.start, end: range.end } : {});
  }

  readAll(sha256: string): Promise<Buffer> {
    return readFile(this.pathOf(sha256));
  }

  async delete(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }

  async *list(): AsyncIterable<string> {
    for (const prefix of await readdir(this.blobs)) {
      for (const name of await readdir(join(this.blobs, prefix)).catch(() => [])) {
        if (SHA256_HEX.test(name) && name.startsWith(prefix)) yield name;
      }
    }
  }

  async sweepStaging(olderThanMs = 0): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for (const name of await readdir(this.staging)) {
      const path = join(this.staging, name);
      const info = await stat(path).catch(() => undefined);
      if (!info || info.mtimeMs > cutoff) continue;
      await rm(path, { force: true });
      removed += 1;
    }
    return removed;
  }
}
