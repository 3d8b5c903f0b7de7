import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { BulwarkError, isBulwarkError } from '../../errors/index.js';
import type { Actor } from '../../log/index.js';
import type { FileRecord } from '../catalog/file-record.js';
import type { ChannelContext } from '../channel-context.js';

/** What happened to one file of an upload or ingest run. */
export type IngestResult =
  | { path: string; outcome: 'published'; file: FileRecord }
  | { path: string; outcome: 'skipped'; reason: string }
  | { path: string; outcome: 'failed'; error: BulwarkError };

/** Publishes one local file through the same checks as an HTTP upload. */
export async function publishLocalFile(context: ChannelContext, path: string, actor: Actor): Promise<FileRecord> {
  const staged = await context.store.stage();
  try {
    for await (const chunk of createReadStream(path)) await staged.write(chunk as Buffer);
  } catch (error) {
    await staged.discard();
    throw error;
  }
  return context.publisher.publish(staged, basename(path), {}, actor, { requireDigest: false });
}

function asBulwarkError(error: unknown): BulwarkError {
  if (isBulwarkError(error)) return error;
  return new BulwarkError('CHANNEL_UPLOAD_INVALID', { reason: (error as Error).message });
}

/**
 * Publishes each file and reports a result for every one; never stops halfway. A file already
 * in the channel with the same bytes is skipped (re-running an ingest is safe); the same name
 * with different bytes is a failure.
 */
export async function publishLocalFiles(context: ChannelContext, paths: readonly string[], actor: Actor, onProgress?: (done: number, total: number, path: string) => void): Promise<IngestResult[]> {
  const results: IngestResult[] = [];
  for (const [index, path] of paths.entries()) {
    try {
      results.push({ path, outcome: 'published', file: await publishLocalFile(context, path, actor) });
    } catch (error) {
      const mapped = asBulwarkError(error);
      if (mapped.code === 'CHANNEL_FILE_EXISTS') results.push({ path, outcome: 'skipped', reason: 'already in the channel with the same sha256' });
      else results.push({ path, outcome: 'failed', error: mapped });
    }
    onProgress?.(index + 1, paths.length, path);
  }
  return results;
}

/** The distribution files of a staging directory (wheels and sdists; policy decides later). */
export async function listWheelhouse(dir: string): Promise<string[]> {
  let names: string[];
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
    names = await readdir(dir);
  } catch (error) {
    throw new BulwarkError('CHANNEL_WHEELHOUSE_UNREADABLE', { path: dir, reason: (error as Error).message });
  }
  return names.filter((name) => name.endsWith('.whl') || name.endsWith('.tar.gz')).sort().map((name) => join(dir, name));
}
