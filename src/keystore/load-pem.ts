import type { KeyMaterial } from './key-material.js';
import type { PemSpec } from './keystore-spec.js';
import { readSecret } from './read-secret.js';
import { readSourceFile } from './read-source-file.js';

/** `pem:` - a certificate file and a key file. Kept for tests and migration only; it warns. */
export async function loadPem(uri: string, spec: PemSpec, env: NodeJS.ProcessEnv): Promise<KeyMaterial> {
  const warnings = [`${uri}: pem: keeps the private key in a file on disk; use pkcs11:, keyctl: or pkcs12: in production (docs/tls.md)`];
  const cert = await readSourceFile(uri, spec.certPath);
  const key = await readSourceFile(uri, spec.keyPath);
  const passphrase = spec.passphrase ? readSecret(uri, 'passphrase', spec.passphrase, env) : null;
  if (passphrase) warnings.push(...passphrase.warnings);
  return { options: { cert, key, ...(passphrase ? { passphrase: passphrase.value } : {}) }, warnings };
}
