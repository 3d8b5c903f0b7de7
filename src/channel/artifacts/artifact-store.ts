import type { Readable } from 'node:stream';

/** Digests and size of bytes written to the store, computed while they streamed in. */
export interface BlobDigests {
  sha256: string;
  blake2_256: string;
  size: number;
}

/** Positional reads over a blob, for formats read from the end (zip's central directory). */
export interface RandomAccess {
  readonly size: number;
  read(position: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * Bytes being written that nobody can see yet. Checks run on the staged bytes; only `commit`
 * makes them addressable by sha256, so a refused or interrupted upload leaves nothing behind.
 */
export interface StagedBlob {
  write(chunk: Uint8Array): Promise<void>;
  /** Ends the write; the digests are final from here on. */
  finish(): Promise<BlobDigests>;
  open(): Promise<RandomAccess>;
  /** Moves the bytes under their sha256. Idempotent for content that is already stored. */
  commit(): Promise<void>;
  /** Throws the bytes away; safe to call after commit (then it does nothing). */
  discard(): Promise<void>;
}

/** A byte range, both ends inclusive, as HTTP ranges are. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Content-addressed blob storage of the channel. The filesystem implementation is the default;
 * an object store can sit behind the same interface for stateless replicas.
 */
export interface ArtifactStore {
  stage(): Promise<StagedBlob>;
  /** Size of a stored blob, or undefined when it is absent. */
  stat(sha256: string): Promise<{ size: number } | undefined>;
  createReadStream(sha256: string, range?: ByteRange): Readable;
  readAll(sha256: string): Promise<Buffer>;
  delete(sha256: string): Promise<void>;
  list(): AsyncIterable<string>;
  /**
   * Removes staged bytes left by a crash; returns how many were removed. With `olderThanMs`, only
   * those older than that, so a running server's uploads in flight survive.
   */
  sweepStaging(olderThanMs?: number): Promise<number>;
}

/** Writes a whole buffer to the store and commits it (metadata files, tests). */
export async function putBlob(store: ArtifactStore, bytes: Uint8Array): Promise<BlobDigests> {
  const staged = await store.stage();
  try {
    await staged.write(bytes);
    const digests = await staged.finish();
    await staged.commit();
    return digests;
  } catch (error) {
    await staged.discard();
    throw error;
  }
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;
