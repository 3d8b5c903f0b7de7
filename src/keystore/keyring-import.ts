import { BulwarkError } from '../errors/index.js';
import { runTool } from './run-tool.js';

/**
 * Adds (or replaces: the kernel updates a `user` key with the same description in the same
 * keyring) a bundle as a `user` key with `keyctl padd`, the payload on stdin so it never appears
 * in an argument list. Returns the key's serial number.
 */
export async function addKeyringEntry(uri: string, description: string, keyring: string, payload: Buffer): Promise<string> {
  const added = await runTool(uri, 'keyctl', ['padd', 'user', description, keyring], 'keyutils', { input: payload });
  const id = added.stdout.toString('utf8').trim();
  if (!added.ok || !/^[0-9]+$/.test(id)) {
    throw new BulwarkError('KEYSTORE_KEYRING_WRITE_FAILED', { uri, keyring, reason: added.stderr || 'keyctl padd printed no key id' });
  }
  return id;
}

/** Removes a key added by addKeyringEntry again (after a failed check). */
export async function unlinkKeyringEntry(uri: string, id: string, keyring: string): Promise<void> {
  await runTool(uri, 'keyctl', ['unlink', id, keyring], 'keyutils');
}
