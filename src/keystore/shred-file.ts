import { BulwarkError } from '../errors/index.js';
import { runTool } from './run-tool.js';

/** The command an operator runs to destroy a bundle file themselves. */
export function shredCommand(path: string): string {
  return `shred --remove --zero ${/^[A-Za-z0-9_./-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`}`;
}

/**
 * Overwrites and removes a file with coreutils' shred. On journaling or copy-on-write filesystems
 * and SSDs old blocks may survive; the caller says so, shred cannot promise it.
 */
export async function shredFile(path: string): Promise<void> {
  const result = await runTool(path, 'shred', ['--remove', '--zero', path], 'coreutils');
  if (!result.ok) throw new BulwarkError('KEYSTORE_SHRED_FAILED', { path, reason: result.stderr || 'shred failed' });
}
