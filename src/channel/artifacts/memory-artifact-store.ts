import { Readable } from 'node:stream';
import type { ArtifactStore, BlobDigests, ByteRange, StagedBlob } from './artifact-store.js';
import { DigestingHasher } from './digesting-hasher.js';

/** An ArtifactStore in memory, for unit tests of code built on the interface. */
export class MemoryArtifactStore implements ArtifactStore {
  readonly blobs = new Map<string, Buffer>();
  private staged = 0;

  async stage(): Promise<StagedBlob> {
    const chunks: Buffer[] = [];
    const hasher = new DigestingHasher();
    let digests: BlobDigests | undefined;
    let settled = false;
    this.staged += 1;
    const release = () => {
      if (!settled) this.staged -= 1;
      settled = true;
    };
    return {
      write: async (chunk) => {
        hasher.update(chunk);
        chunks.push(Buffer.from(chunk));
      },
      finish: async () => (digests ??= hasher.digest()),
      open: async () => {
        const bytes = Buffer.concat(chunks);
        return { size: bytes.length, read: async (position, length) => bytes.subarray(position, position + length), close: async () => undefined };
      },
      commit: async () => {
        if (!digests) throw new Error('finish the staged blob before committing it');
        if (!this.blobs.has(digests.sha256)) this.blobs.set(digests.sha256, Buffer.concat(chunks));
        release();
      },
      discard: async () => release(),
    };
  }

  /** Staged writes neither committed nor discarded (a leak if non-zero after a request). */
  get pendingStaged(): number {
    return this.staged;
  }

  async stat(sha256: string) {
    const blob = this.blobs.get(sha256);
    return blob ? { size: blob.length } : undefined;
  }

  createReadStream(sha256: string, range?: ByteRange): Readable {
    const blob = this.blobs.get(sha256);
    if (!blob) throw Object.assign(new Error(`no blob ${sha256}`), { code: 'ENOENT' });
    return Readable.from([range ? blob.subarray(range.start, range.end + 1) : blob]);
  }

  async readAll(sha256: string): Promise<Buffer> {
    const blob = this.blobs.get(sha256);
    if (!blob) throw Object.assign(new Error(`no blob ${sha256}`), { code: 'ENOENT' });
    return blob;
  }

  async delete(sha256: string): Promise<void> {
    this.blobs.delete(sha256);
  }

  async *list(): AsyncIterable<string> {
    yield* [...this.blobs.keys()];
  }

  async sweepStaging(): Promise<number> {
    return 0;
  }
}
