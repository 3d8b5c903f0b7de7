import { readFile } from 'node:fs/promises';
import { BulwarkError } from '../errors/index.js';

/** Reads a file named in a keystore URI, mapping failures to KEYSTORE_SOURCE_UNREADABLE. */
export async function readSourceFile(uri: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new BulwarkError('KEYSTORE_SOURCE_UNREADABLE', { uri, path, reason: (error as NodeJS.ErrnoException).code ?? String(error) });
  }
}
