import { createHash } from 'node:crypto';
import { blake2b } from '@noble/hashes/blake2.js';
import type { BlobDigests } from './artifact-store.js';

/**
 * sha256 (the index's hash) and BLAKE2b-256 (what twine declares, and PyPI's blob key) in one
 * pass. Node's crypto cannot produce a 256-bit BLAKE2b, hence @noble/hashes.
 */
export class DigestingHasher {
  private readonly sha = createHash('sha256');
  private readonly blake = blake2b.create({ dkLen: 32 });
  private size = 0;

  update(chunk: Uint8Array): void {
    this.sha.update(chunk);
    this.blake.update(chunk);
    this.size += chunk.byteLength;
  }

  digest(): BlobDigests {
    return { sha256: this.sha.digest('hex'), blake2_256: Buffer.from(this.blake.digest()).toString('hex'), size: this.size };
  }
}
