import type { KeyMaterial } from './key-material.js';
import type { Pkcs12Spec } from './keystore-spec.js';
import { readSecret } from './read-secret.js';
import { readSourceFile } from './read-source-file.js';

/** `pkcs12:` - a passphrase-protected bundle, decrypted by OpenSSL in memory. */
export async function loadPkcs12(uri: string, spec: Pkcs12Spec, env: NodeJS.ProcessEnv): Promise<KeyMaterial> {
  const pfx = await readSourceFile(uri, spec.path);
  const passphrase = spec.passphrase ? readSecret(uri, 'passphrase', spec.passphrase, env) : null;
  const warnings = passphrase ? [...passphrase.warnings] : [`${uri}: the PKCS#12 bundle has no passphrase source; anyone who can read the file has the key`];
  return { options: { pfx, ...(passphrase ? { passphrase: passphrase.value } : {}) }, warnings };
}
