import { BulwarkError } from '../errors/index.js';
import type { KeyctlSpec } from './keystore-spec.js';
import { runTool } from './run-tool.js';

/**
 * Reads a `user` key from the kernel keyring with keyutils' `keyctl` (Node has no keyctl API):
 * `keyctl search KEYRING user DESC`, then `keyctl pipe ID`. The payload reaches us through a pipe.
 */
export async function readKeyringEntry(uri: string, spec: KeyctlSpec): Promise<Buffer> {
  const search = await runTool(uri, 'keyctl', ['search', spec.keyring, 'user', spec.description], 'keyutils');
  const id = search.stdout.toString('utf8').trim();
  if (!search.ok || !/^[0-9]+$/.test(id)) {
    const uid = process.getuid?.() ?? '?';
    throw new BulwarkError('KEYSTORE_KEY_NOT_FOUND', {
      uri,
      detail: `no user key "${spec.description}" reachable from keyring ${spec.keyring} of uid ${uid} (${search.stderr || 'not found'}); add it with: keyctl padd user ${spec.description} ${spec.keyring} < bundle`,
    });
  }
  const pipe = await runTool(uri, 'keyctl', ['pipe', id], 'keyutils');
  if (!pipe.ok || pipe.stdout.length === 0) {
    throw new BulwarkError('KEYSTORE_KEY_NOT_FOUND', { uri, detail: `key ${id} ("${spec.description}") cannot be read: ${pipe.stderr || 'empty payload'}` });
  }
  return pipe.stdout;
}
